import { FailureCode } from '@payhub/domain';
import { KASHA_ERROR_CODES, KASHA_NOT_TAKEN_CODES, kashaErrorCode, kashaFailure } from './kasha-error-codes';

const F = FailureCode;

/** Kasha API v2 error table, row by row, with the failure code payhub reports for it. */
const DOCUMENT_TABLE: Array<[code: string, status: 'DECLINED' | 'ERROR', expected: FailureCode]> = [
  ['1000', 'DECLINED', F.INVALID_REQUEST],
  ['1001', 'DECLINED', F.INVALID_REQUEST],
  ['1002', 'DECLINED', F.INVALID_REQUEST],
  ['1003', 'DECLINED', F.INVALID_REQUEST],
  ['1004', 'DECLINED', F.INVALID_REQUEST],
  ['1005', 'DECLINED', F.INVALID_REQUEST],
  ['1006', 'DECLINED', F.INVALID_REQUEST],
  ['1007', 'DECLINED', F.AMOUNT_TOO_LOW],
  ['1008', 'DECLINED', F.AMOUNT_TOO_HIGH],
  ['1009', 'DECLINED', F.INVALID_REQUEST],
  ['1100', 'ERROR', F.PROVIDER_ERROR],
  ['3000', 'DECLINED', F.INSUFFICIENT_FUNDS],
  ['3001', 'DECLINED', F.DECLINED_BY_ISSUER],
  ['3002', 'DECLINED', F.SUSPECTED_FRAUD],
  ['3003', 'DECLINED', F.THREE_DS_FAILED],
  ['3004', 'DECLINED', F.INVALID_CARD],
  ['3005', 'DECLINED', F.INVALID_CARD],
  ['3006', 'DECLINED', F.LIMIT_EXCEEDED],
  ['3007', 'DECLINED', F.INVALID_CARD],
  ['3008', 'DECLINED', F.INVALID_REQUEST],
  ['3009', 'DECLINED', F.INVALID_CARD],
  ['3010', 'DECLINED', F.THREE_DS_FAILED],
  ['3011', 'DECLINED', F.INVALID_CARD],
  ['3012', 'DECLINED', F.DECLINED_BY_ISSUER],
  ['3013', 'DECLINED', F.LIMIT_EXCEEDED],
  ['3014', 'DECLINED', F.LIMIT_EXCEEDED],
  ['3015', 'DECLINED', F.DECLINED_BY_ISSUER],
  ['3016', 'DECLINED', F.DECLINED_BY_ISSUER],
  ['3017', 'DECLINED', F.INVALID_REQUEST],
  ['3018', 'DECLINED', F.EXPIRED],
  ['3019', 'DECLINED', F.DECLINED_BY_PROVIDER],
  ['3020', 'DECLINED', F.AMOUNT_TOO_LOW],
  ['3021', 'DECLINED', F.METHOD_UNAVAILABLE],
  ['3022', 'DECLINED', F.SUSPECTED_FRAUD],
  ['3023', 'DECLINED', F.DECLINED_BY_ISSUER],
  ['3024', 'DECLINED', F.METHOD_UNAVAILABLE],
  ['3025', 'DECLINED', F.METHOD_UNAVAILABLE],
  ['3026', 'DECLINED', F.DECLINED_BY_ISSUER],
  ['994', 'DECLINED', F.SUSPECTED_FRAUD],
  ['995', 'DECLINED', F.METHOD_UNAVAILABLE],
  ['996', 'DECLINED', F.METHOD_UNAVAILABLE],
  ['997', 'DECLINED', F.METHOD_UNAVAILABLE],
  ['998', 'DECLINED', F.PROVIDER_ERROR],
  ['999', 'DECLINED', F.DECLINED_BY_PROVIDER],
];

describe('Kasha error table', () => {
  it('holds exactly the documented codes', () => {
    expect(Object.keys(KASHA_ERROR_CODES).sort()).toEqual(DOCUMENT_TABLE.map(([code]) => code).sort());
    expect(DOCUMENT_TABLE).toHaveLength(44);
  });

  it.each(DOCUMENT_TABLE)('maps %s (%s) onto %s', (code, status, expected) => {
    expect(kashaErrorCode(code)?.status).toBe(status);
    const failure = kashaFailure(code, 'as Kasha said it');
    expect(failure).toMatchObject({ code: expected, providerCode: code, providerMessage: 'as Kasha said it' });
    expect(failure.reason.length).toBeGreaterThan(5);
  });

  it('reads the code however Kasha spells it', () => {
    expect(kashaFailure(3001).code).toBe(F.DECLINED_BY_ISSUER);
    expect(kashaFailure('0995').providerCode).toBe('995');
    expect(kashaErrorCode('000')).toBeNull();
  });

  it('keeps an unknown code as a provider error', () => {
    expect(kashaFailure('4242', 'new')).toEqual({
      code: F.PROVIDER_ERROR,
      reason: 'Kasha answered with an unknown code 4242',
      providerCode: '4242',
      providerMessage: 'new',
    });
  });

  it('lets another provider take only what Kasha could not place', () => {
    expect([...KASHA_NOT_TAKEN_CODES].sort()).toEqual(['995', '996', '997']);
  });
});
