import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Only the SHA-256 of a key is stored; keys are 256-bit random, so a fast hash is enough to look them up. */
@Entity('api_keys')
@Index('uq_api_keys_hash', ['keyHash'], { unique: true })
@Index('ix_api_keys_merchant', ['merchantId'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ name: 'key_hash', type: 'char', length: 64 }) keyHash: string;
  /** First characters of the key, to tell keys apart in lists. */
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) label: string | null;
  /** The staff member who minted the key (four eyes on the payouts it creates); null from the CLI or seed. */
  @Column({ name: 'created_by', type: 'varchar', length: 32, nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true }) revokedAt: Date | null;
}
