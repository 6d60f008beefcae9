import { loggableError, scrubDatabaseMessage } from './loggable-error';

describe('loggableError', () => {
  it('drops the SQL text and bound parameters of a database error and scrubs quoted values', () => {
    const error = Object.assign(new Error("Duplicate entry '4012888888881881' for key 'uq_x'"), {
      name: 'QueryFailedError',
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
      query: 'INSERT INTO t (a, b) VALUES (?, ?)',
      parameters: ['4012888888881881', '321'],
      sql: "INSERT INTO t (a, b) VALUES ('4012888888881881', '321')",
      driverError: {},
    });
    const logged = JSON.stringify(loggableError(error));
    expect(logged).not.toContain('4012888888881881');
    expect(logged).not.toContain('321');
    expect(loggableError(error)).toMatchObject({
      type: 'QueryFailedError',
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      message: "Duplicate entry '[redacted]' for key 'uq_x'",
    });
  });

  it('keeps names of columns and keys, which say what failed', () => {
    expect(scrubDatabaseMessage("Data too long for column 'transaction_id' at row 1")).toBe("Data too long for column 'transaction_id' at row 1");
    expect(scrubDatabaseMessage("Incorrect integer value: 'abc' for column 'amount'")).toBe("Incorrect integer value: '[redacted]' for column 'amount'");
  });
});
