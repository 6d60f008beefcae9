import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The refund ceiling is `settledAmount ?? amount` (libs/transactions refund-ceiling.ts); the CHECK said
 * `amount`, so a deposit settled above its amount could be refunded at the provider and then fail to
 * record it.
 */
export class CheckRefundsAgainstSettledAmount1795279202000 implements MigrationInterface {
  name = 'CheckRefundsAgainstSettledAmount1795279202000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE transactions DROP CONSTRAINT ck_transactions_refunded');
    await db.query(
      'ALTER TABLE transactions ADD CONSTRAINT ck_transactions_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= COALESCE(settled_amount, amount))',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE transactions DROP CONSTRAINT ck_transactions_refunded');
    await db.query('ALTER TABLE transactions ADD CONSTRAINT ck_transactions_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= amount)');
  }
}
