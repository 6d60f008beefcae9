import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSettledAmount1795279180000 implements MigrationInterface {
  name = 'AddSettledAmount1795279180000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE transactions ADD COLUMN settled_amount BIGINT NULL AFTER refunded_amount');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE transactions DROP COLUMN settled_amount');
  }
}
