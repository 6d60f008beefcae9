import { IsBoolean, IsDefined, IsIn } from 'class-validator';
import { THREE_DS_MODES, type ThreeDsRoutingMode } from './config-descriptor';

/** Per-account override of the merchant's 3DS2 routing setting (DESIGN §7); the account wins. */
export class ThreeDsRoutingSchema {
  @IsDefined()
  @IsBoolean()
  enabled: boolean;

  @IsDefined()
  @IsIn(THREE_DS_MODES)
  mode: ThreeDsRoutingMode;
}
