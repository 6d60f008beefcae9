import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, hashPassword, PendingChangeEntity, PendingChangesService, presentStaff, StaffPrincipal, StaffRole, StaffService } from '..';
import { DomainError, ErrorCode } from '@payhub/common';
import { inTransaction } from '@payhub/database';
import { MerchantsService, PAYOUT_AUTO_APPROVE_KEY, PayoutAutoApprove } from '@payhub/merchants';
import { PreparedProviderConfig, ProviderConfigService } from '@payhub/provider-config';

/** Roles whose grant needs a second admin: they release money or grant power. */
export const PRIVILEGED_ROLES: readonly StaffRole[] = ['approver', 'admin'];

export type Applied<T> = { applied: true; value: T } | { applied: false; pending: PendingChangeEntity };

/**
 * Maker-checker (four eyes) for the changes that can move money or grant power: payout auto-approve
 * rules that allow more, approver/admin grants (a new staff member with one included), and a provider
 * config's base URLs or credentials. One admin proposes, a different admin confirms within 24 h; the
 * change is applied in the transaction that marks it confirmed, and only if its target is still as it
 * was when proposed. Onboarding (a merchant, its first provider config, its routing) stays immediate.
 */
@Injectable()
export class MakerCheckerUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: PendingChangesService,
    private readonly merchants: MerchantsService,
    private readonly staff: StaffService,
    private readonly configs: ProviderConfigService,
    private readonly audit: AuditService,
  ) {}

  /** Narrowing (lower limits, fewer currencies) applies at once, so an admin can stop auto-approval alone. */
  async setPayoutAutoApprove(
    actor: StaffPrincipal,
    merchantId: string,
    value: PayoutAutoApprove,
    requestId: string | null,
  ): Promise<Applied<PayoutAutoApprove>> {
    const before = await this.merchants.payoutAutoApprove(merchantId);
    if (!allowsMore(before, value)) {
      const { after } = await this.merchants.updateSetting(merchantId, PAYOUT_AUTO_APPROVE_KEY, value);
      await this.audit.record({
        actor,
        action: 'merchant.payout_auto_approve.update',
        targetType: 'merchant',
        targetId: merchantId,
        before,
        after,
        reason: 'narrows the rules: no second admin needed',
        requestId,
      });
      return { applied: true, value: after };
    }
    const pending = await this.changes.propose(
      actor,
      { kind: 'payout_auto_approve', targetType: 'merchant', targetId: merchantId, payload: { value }, before, after: value },
      requestId,
    );
    return { applied: false, pending };
  }

  /** A viewer or operator is created at once; approver or admin waits for a second admin. */
  async createStaff(
    actor: StaffPrincipal,
    input: { email: string; password: string; roles: StaffRole[] },
    requestId: string | null,
  ): Promise<Applied<ReturnType<typeof presentStaff>>> {
    if (!input.roles.some((r) => PRIVILEGED_ROLES.includes(r))) {
      const created = presentStaff(await this.staff.create(input));
      await this.audit.record({ actor, action: 'staff.create', targetType: 'staff', targetId: created.id, after: created, requestId });
      return { applied: true, value: created };
    }
    const email = input.email.toLowerCase();
    await this.staff.assertEmailFree(email);
    const after = { email, roles: [...new Set(input.roles)] };
    // The password is hashed now: the proposal never holds it in clear.
    const pending = await this.changes.propose(
      actor,
      {
        kind: 'staff_create',
        targetType: 'staff',
        targetId: email,
        payload: { ...after, passwordHash: await hashPassword(input.password) },
        before: null,
        after,
      },
      requestId,
    );
    return { applied: false, pending };
  }

  /** Removing roles, disabling and password changes apply at once; granting approver or admin waits. */
  async updateStaff(
    actor: StaffPrincipal,
    id: string,
    changes: { roles?: StaffRole[]; status?: 'active' | 'disabled'; password?: string },
    requestId: string | null,
  ): Promise<Applied<ReturnType<typeof presentStaff>>> {
    const current = await this.staff.get(id);
    const granted = (changes.roles ?? []).filter((r) => PRIVILEGED_ROLES.includes(r) && !current.roles.includes(r));
    if (!granted.length) {
      const before = presentStaff(current);
      const after = presentStaff(await this.staff.update(id, changes));
      await this.audit.record({
        actor,
        action: 'staff.update',
        targetType: 'staff',
        targetId: id,
        before,
        after: { ...after, passwordChanged: Boolean(changes.password) },
        requestId,
      });
      return { applied: true, value: after };
    }
    if (changes.status || changes.password) {
      throw DomainError.validation([
        { field: 'roles', issue: `granting ${granted.join(', ')} needs a second admin: send it on its own, other changes separately` },
      ]);
    }
    const pending = await this.changes.propose(
      actor,
      {
        kind: 'staff_roles',
        targetType: 'staff',
        targetId: id,
        payload: { roles: changes.roles },
        before: { roles: current.roles },
        after: { roles: [...new Set(changes.roles)] },
      },
      requestId,
    );
    return { applied: false, pending };
  }

  /** A provider config change touching base URLs or credentials of an existing config waits; anything else applies. */
  async changeProviderConfig(
    actor: StaffPrincipal,
    prepared: PreparedProviderConfig,
    action: string,
    requestId: string | null,
    manager?: EntityManager,
  ): Promise<Applied<unknown>> {
    const before = await this.configs.find(prepared.merchantId, prepared.provider, manager);
    if (!prepared.sensitive.length) {
      const after = await this.configs.commit(prepared, actor.email, manager);
      await this.audit.record(
        { actor, action, targetType: 'merchant', targetId: prepared.merchantId, before, after, reason: prepared.comment, requestId },
        manager,
      );
      return { applied: true, value: after };
    }
    const pending = await this.changes.propose(
      actor,
      {
        kind: 'provider_config',
        targetType: 'merchant',
        targetId: prepared.merchantId,
        payload: { prepared, action },
        before,
        after: { provider: prepared.provider, config: this.configs.present(prepared), changes: prepared.sensitive },
      },
      requestId,
      manager,
    );
    return { applied: false, pending };
  }

  /** Applies the proposal in the transaction that marks it confirmed by `actor` (never its proposer). */
  async confirm(actor: StaffPrincipal, id: string, requestId: string | null): Promise<PendingChangeEntity> {
    return inTransaction(this.dataSource, async (manager) => {
      const change = await this.changes.claim(manager, actor, id);
      const reason = `${change.kind} ${change.id}, proposed by ${change.proposedEmail}, confirmed by ${actor.email}`;
      const audited = await this.apply(change, actor, manager);
      await this.audit.record(
        {
          actor,
          action: 'change.confirm',
          targetType: change.targetType,
          targetId: audited.targetId,
          before: change.before,
          after: audited.after,
          reason,
          requestId,
        },
        manager,
      );
      await this.audit.record(
        {
          actor,
          action: audited.action,
          targetType: change.targetType,
          targetId: audited.targetId,
          before: change.before,
          after: audited.after,
          reason: audited.comment ? `${audited.comment} (${reason})` : reason,
          requestId,
        },
        manager,
      );
      return change;
    });
  }

  private async apply(
    change: PendingChangeEntity,
    actor: StaffPrincipal,
    manager: EntityManager,
  ): Promise<{ action: string; targetId: string; after: unknown; comment?: string | null }> {
    const stale = () =>
      new DomainError(ErrorCode.PENDING_CHANGE_STALE, `What change ${change.id} would replace has changed since it was proposed; propose it again`);
    switch (change.kind) {
      case 'payout_auto_approve': {
        const value = change.payload.value as PayoutAutoApprove;
        const { before } = await this.merchants.updateSetting(change.targetId, PAYOUT_AUTO_APPROVE_KEY, value, manager);
        if (JSON.stringify(before ?? { rules: [] }) !== JSON.stringify(change.before)) throw stale();
        return { action: 'merchant.payout_auto_approve.update', targetId: change.targetId, after: value };
      }
      case 'staff_create': {
        const payload = change.payload as { email: string; roles: StaffRole[]; passwordHash: string };
        const created = presentStaff(await this.staff.insert(payload, manager));
        return { action: 'staff.create', targetId: created.id, after: created };
      }
      case 'staff_roles': {
        const current = await this.staff.get(change.targetId, manager);
        if ([...current.roles].sort().join(',') !== [...(change.before as { roles: StaffRole[] }).roles].sort().join(',')) throw stale();
        const after = presentStaff(await this.staff.update(change.targetId, { roles: change.payload.roles as StaffRole[] }, manager));
        return { action: 'staff.update', targetId: change.targetId, after };
      }
      case 'provider_config': {
        const { prepared, action } = change.payload as { prepared: PreparedProviderConfig; action: string };
        try {
          const after = await this.configs.commit(prepared, `${change.proposedEmail} + ${actor.email}`.slice(0, 254), manager);
          return { action, targetId: change.targetId, after, comment: prepared.comment };
        } catch (error) {
          if (error instanceof DomainError && error.code === ErrorCode.CONCURRENT_UPDATE) throw stale();
          throw error;
        }
      }
    }
  }
}

/** True when `next` approves a payout that `current` would not: a new currency or a higher limit. */
export function allowsMore(current: PayoutAutoApprove, next: PayoutAutoApprove): boolean {
  return next.rules.some((rule) => {
    const existing = current.rules.find((r) => r.currency === rule.currency);
    return !existing || rule.below > existing.below;
  });
}
