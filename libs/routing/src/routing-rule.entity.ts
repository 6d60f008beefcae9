import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RuleActions, RuleConditions } from './routing.types';

@Entity('routing_rules')
@Index('ix_routing_rules_merchant', ['merchantId', 'position'])
export class RoutingRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  /** Place in the list as staff sent it; breaks priority ties. */
  @Column({ type: 'int' }) position: number;
  @Column({ type: 'varchar', length: 128 }) name: string;
  @Column({ type: 'int' }) priority: number;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ name: 'when_conditions', type: 'json' }) when: RuleConditions;
  @Column({ name: 'then_actions', type: 'json' }) then: RuleActions;
  @Column({ name: 'created_by', type: 'varchar', length: 254 }) createdBy: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}

@Entity('routing_settings')
export class RoutingSettingsEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ name: 'three_ds_routing', type: 'json', nullable: true }) threeDsRouting: { enabled: boolean; mode: string } | null;
  @Column({ name: 'updated_by', type: 'varchar', length: 254 }) updatedBy: string;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
