import 'reflect-metadata';
import { IsBoolean, IsIn } from 'class-validator';
import type { ThreeDsMode } from '@payhub/providers-core';

/** A compile error here means a mode was added to ThreeDsMode without being accepted by the DTO. */
const MODES: Record<ThreeDsMode, true> = { off: true, only_3ds: true, required_3ds_v1: true, required_3ds_v2: true };
export const THREE_DS_MODES = Object.keys(MODES) as ThreeDsMode[];

export interface ThreeDsSetting {
  enabled: boolean;
  mode: ThreeDsMode;
}

/** Merchant-level 3DS2 routing setting, and the same shape as a per-account override. */
export class ThreeDsSettingDto implements ThreeDsSetting {
  @IsBoolean()
  enabled: boolean;

  @IsIn(THREE_DS_MODES)
  mode: ThreeDsMode;
}
