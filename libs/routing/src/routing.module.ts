import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoutingRuleEntity, RoutingSettingsEntity } from './routing-rule.entity';
import { RoutingService } from './routing.service';

export const ROUTING_ENTITIES = [RoutingRuleEntity, RoutingSettingsEntity];

@Global()
@Module({
  imports: [TypeOrmModule.forFeature(ROUTING_ENTITIES)],
  providers: [RoutingService],
  exports: [RoutingService],
})
export class RoutingModule {}
