import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProviderConfig } from './provider-config.types';

/** Every change of a merchant's provider config is a new row; the highest version is in force. */
@Entity('provider_config_versions')
@Index('uq_provider_config_versions', ['merchantId', 'provider', 'version'], { unique: true })
export class ProviderConfigVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ type: 'varchar', length: 32 }) provider: string;
  @Column({ type: 'int' }) version: number;
  /** Secrets inside are sealed (SecretBox); the rest is the validated config as given. */
  @Column({ type: 'json' }) config: ProviderConfig<object>;
  /** Which key sealed the secrets, so a rotation can find rows still on an old key. */
  @Column({ name: 'key_id', type: 'varchar', length: 16 }) keyId: string;
  @Column({ name: 'created_by', type: 'varchar', length: 254 }) createdBy: string;
  @Column({ type: 'varchar', length: 256, nullable: true }) comment: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
