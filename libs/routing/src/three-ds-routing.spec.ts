import { ErrorCode } from '@payhub/common';
import type { BrowserInfo, ThreeDsDecision } from '@payhub/providers-core';
import { TxType } from '@payhub/transactions';
import { checkBrowser, requiredBrowserFields, resolveThreeDs, THREE_DS_MODES, ThreeDsSettingDto, validateDto } from '@payhub/routing';
import { catchDomainError } from '../../../test/support/catch-domain-error';

const V2: ThreeDsDecision = { enabled: true, mode: 'required_3ds_v2' };
const OFF: ThreeDsDecision = { enabled: false, mode: 'off' };

const fullBrowser = (): BrowserInfo => ({
  acceptHeader: 'text/html',
  userAgent: 'Mozilla/5.0',
  language: 'en-US',
  colorDepth: 24,
  screenHeight: 1080,
  screenWidth: 1920,
  timeZoneOffset: -120,
  javaEnabled: false,
  javaScriptEnabled: true,
  ip: '84.232.140.77',
});

const ALL_FIELDS = [
  'browser.acceptHeader',
  'browser.userAgent',
  'browser.language',
  'browser.colorDepth',
  'browser.screenHeight',
  'browser.screenWidth',
  'browser.timeZoneOffset',
  'browser.javaEnabled',
  'browser.javaScriptEnabled',
  'browser.ip',
];

describe('resolveThreeDs', () => {
  it('is off when nothing is configured', () => {
    expect(resolveThreeDs(null)).toEqual(OFF);
    expect(resolveThreeDs(undefined, undefined)).toEqual(OFF);
  });

  it('uses the merchant setting without an account override', () => {
    expect(resolveThreeDs({ enabled: true, mode: 'required_3ds_v2' })).toEqual(V2);
    expect(resolveThreeDs({ enabled: true, mode: 'only_3ds' }, null)).toEqual({ enabled: true, mode: 'only_3ds' });
  });

  it('lets the account override win, in both directions', () => {
    expect(resolveThreeDs({ enabled: true, mode: 'required_3ds_v2' }, { enabled: false, mode: 'required_3ds_v2' })).toEqual(OFF);
    expect(resolveThreeDs({ enabled: false, mode: 'off' }, { enabled: true, mode: 'required_3ds_v1' })).toEqual({ enabled: true, mode: 'required_3ds_v1' });
    expect(resolveThreeDs(null, { enabled: true, mode: 'required_3ds_v2' })).toEqual(V2);
  });

  it('normalises: disabled means mode off, mode off means disabled', () => {
    expect(resolveThreeDs({ enabled: false, mode: 'required_3ds_v1' })).toEqual(OFF);
    expect(resolveThreeDs({ enabled: true, mode: 'off' })).toEqual(OFF);
  });
});

describe('requiredBrowserFields', () => {
  it.each(['only_3ds', 'required_3ds_v1', 'required_3ds_v2'] as const)('lists all ten fields for %s', (mode) => {
    expect(requiredBrowserFields({ enabled: true, mode }).map((f) => `browser.${f}`)).toEqual(ALL_FIELDS);
  });

  it('asks for nothing when off or disabled', () => {
    expect(requiredBrowserFields(OFF)).toEqual([]);
    expect(requiredBrowserFields({ enabled: false, mode: 'required_3ds_v2' })).toEqual([]);
    expect(requiredBrowserFields({ enabled: true, mode: 'off' })).toEqual([]);
  });
});

describe('checkBrowser', () => {
  it('accepts a complete browser block', () => {
    expect(() => checkBrowser(V2, TxType.CreditcardDeposit, fullBrowser())).not.toThrow();
    expect(() => checkBrowser(V2, TxType.CreditcardDeposit, { ...fullBrowser(), ip: '2001:db8::1', timeZoneOffset: 0 })).not.toThrow();
  });

  it('names the browser block when it is absent', () => {
    for (const browser of [undefined, null]) {
      const error = catchDomainError(() => checkBrowser(V2, TxType.CreditcardDeposit, browser));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(error.details[0]).toEqual({ field: 'browser', issue: 'is required when 3-D Secure routing is on (mode required_3ds_v2)' });
      expect(error.details.map((d) => d.field)).toEqual([
        'browser',
        ...requiredBrowserFields({ enabled: true, mode: 'required_3ds_v2' }).map((f) => `browser.${f}`),
      ]);
    }
  });

  it('lists every missing field at once', () => {
    const error = catchDomainError(() => checkBrowser(V2, TxType.CreditcardDeposit, {}));
    expect(error.details.map((d) => d.field)).toEqual(ALL_FIELDS);
    expect(error.details.every((d) => d.issue === 'is required for 3-D Secure')).toBe(true);
  });

  it('lists only the fields that are missing or malformed', () => {
    const browser = { ...fullBrowser(), userAgent: '', colorDepth: undefined, javaEnabled: 'no', ip: '999.1.1.1', screenWidth: 19.5 } as unknown as BrowserInfo;
    expect(catchDomainError(() => checkBrowser(V2, TxType.CreditcardDeposit, browser)).details).toEqual([
      { field: 'browser.userAgent', issue: 'is required for 3-D Secure' },
      { field: 'browser.colorDepth', issue: 'is required for 3-D Secure' },
      { field: 'browser.screenWidth', issue: 'must be an integer' },
      { field: 'browser.javaEnabled', issue: 'must be true or false' },
      { field: 'browser.ip', issue: 'must be an IPv4 or IPv6 address' },
    ]);
  });

  it('accepts false booleans and zero numbers as present', () => {
    const browser = { ...fullBrowser(), javaEnabled: false, javaScriptEnabled: false, timeZoneOffset: 0 };
    expect(() => checkBrowser(V2, TxType.CreditcardDeposit, browser)).not.toThrow();
  });

  it.each(['only_3ds', 'required_3ds_v1'] as const)('applies to %s too', (mode) => {
    expect(catchDomainError(() => checkBrowser({ enabled: true, mode }, TxType.CreditcardDeposit, undefined)).details[0].field).toBe('browser');
  });

  it('does not apply when 3DS is off or disabled', () => {
    expect(() => checkBrowser(OFF, TxType.CreditcardDeposit, undefined)).not.toThrow();
    expect(() => checkBrowser({ enabled: false, mode: 'required_3ds_v2' }, TxType.CreditcardDeposit, undefined)).not.toThrow();
    expect(() => checkBrowser({ enabled: true, mode: 'off' }, TxType.CreditcardDeposit, {})).not.toThrow();
  });

  it.each([TxType.CreditcardWithdrawal, TxType.WalletDeposit, TxType.BankDeposit, TxType.Refund])('does not apply to %s', (txType) => {
    expect(() => checkBrowser(V2, txType, undefined)).not.toThrow();
  });
});

describe('ThreeDsSettingDto', () => {
  it.each(THREE_DS_MODES.map((mode) => [mode]))('accepts mode %s', (mode) => {
    expect(validateDto(ThreeDsSettingDto, { enabled: true, mode })).toEqual({ enabled: true, mode });
  });

  it('knows exactly the four modes', () => {
    expect(THREE_DS_MODES).toEqual(['off', 'only_3ds', 'required_3ds_v1', 'required_3ds_v2']);
  });

  it('refuses an unknown mode, a non-boolean enabled and extra fields', () => {
    const error = catchDomainError(() => validateDto(ThreeDsSettingDto, { enabled: 'yes', mode: 'required_3ds_v3', version: 2 }));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(new Set(error.details.map((d) => d.field))).toEqual(new Set(['enabled', 'mode', 'version']));
  });
});
