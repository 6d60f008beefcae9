import { Float, sbJsonDecode } from './paykassma-sandbox.php';

describe('the Paykassma simulator JSON decoder', () => {
  it('reads a float literal as a PHP float instead of refusing the body (v2/withdrawal/create with 1000.5)', () => {
    const data = sbJsonDecode('{"amount":1000.5,"n":3,"e":1e3,"s":"1.5"}') as Record<string, unknown>;
    expect(data.amount).toBeInstanceOf(Float);
    expect((data.amount as Float).value).toBe(1000.5);
    expect(data.n).toBe(3);
    expect((data.e as Float).value).toBe(1000);
    expect(data.s).toBe('1.5');
  });

  it('keeps a whole float (300.0) apart from an int, as PHP does', () => {
    const data = sbJsonDecode('{"a":300.0,"b":300}') as Record<string, unknown>;
    expect(data.a).toBeInstanceOf(Float);
    expect(data.b).toBe(300);
  });
});
