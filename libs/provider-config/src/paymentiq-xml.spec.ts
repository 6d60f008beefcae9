import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, MASK, SecretBox } from '@payhub/common';
import {
  INTERKASSA_CONFIG_DESCRIPTOR,
  KASHA_CONFIG_DESCRIPTOR,
  PAYKASSMA_CONFIG_DESCRIPTOR,
  domainErrorOf,
  fieldsOf,
  interkassaInput,
  issueOf,
  kashaInput,
  paykassmaInput,
} from './__fixtures__/provider-config.fixtures';
import { maskConfig, openSecrets, sealSecrets } from './config-secrets';
import { exportPaymentIqXml, importPaymentIqXml } from './paymentiq-xml';
import type { ProviderConfigDescriptor } from './provider-config.types';
import { validateConfigWith } from './provider-config.validator';

const PAYMENTIQ_EXAMPLE = readFileSync(join(__dirname, '__fixtures__', 'interkassa-config.paymentiq.xml'), 'utf8');
const IK = INTERKASSA_CONFIG_DESCRIPTOR;
const ROOT = IK.xmlRootElement;

/** A minimal Interkassa document around the given account elements and extra config elements. */
function interkassaXml(accountElements: string, configElements = ''): string {
  return `<${ROOT}>
  <accounts><entry><string>DEFAULT</string><account>${accountElements}</account></entry></accounts>
  ${configElements}
</${ROOT}>`;
}

const MINIMAL_ACCOUNT = '<checkoutId>co</checkoutId><secretKey>sk</secretKey>';

describe('PaymentIQ XML', () => {
  describe('import of the PaymentIQ documentation example', () => {
    it('maps it into the JSON config with booleans converted and defaults filled', () => {
      expect(importPaymentIqXml(IK, PAYMENTIQ_EXAMPLE)).toEqual({
        enabled: true,
        useViqProxy: true,
        testMode: false,
        paywayMapping: 'VISA->visa,MASTERCARD->mastercard',
        defaultDescriptor: 'payment description goes here',
        baseUrls: { api: 'https://api.interkassa.com/v1', sci: 'https://sci.interkassa.com/' },
        accounts: {
          DEFAULT: {
            customerId: '??',
            apiKey: '??',
            secretKey: '??',
            accountID: '??',
            checkoutId: '??',
            walletId: '??',
            method: 'card',
            use3Dsecure: true,
            defaultDescriptor: 'payment description goes here',
            supportedCurrencies: 'UAH|KZT|EUR|USD|GBP',
            signAlgorithm: 'sha256',
          },
        },
      });
    });

    it('exports it back in the same structure and element order', () => {
      const xml = exportPaymentIqXml(IK, importPaymentIqXml(IK, PAYMENTIQ_EXAMPLE));
      const withoutComments = PAYMENTIQ_EXAMPLE.replace(/\s*<!--.*?-->/g, '');
      const payhubAdditions = `
        <signAlgorithm>sha256</signAlgorithm>
      </account>`;
      const expected = withoutComments.replace(/\n {6}<\/account>/, payhubAdditions).replace(
        `</${ROOT}>`,
        `  <baseUrls>
    <entry>
      <string>api</string>
      <string>https://api.interkassa.com/v1</string>
    </entry>
    <entry>
      <string>sci</string>
      <string>https://sci.interkassa.com/</string>
    </entry>
  </baseUrls>
</${ROOT}>`,
      );
      expect(xml.trim()).toBe(expected.trim());
    });
  });

  describe('round trip', () => {
    const box = SecretBox.fromMasterKey('0'.repeat(64));
    const cases: Array<[string, ProviderConfigDescriptor, () => Record<string, unknown>]> = [
      ['interkassa', INTERKASSA_CONFIG_DESCRIPTOR, interkassaInput],
      ['paykassma', PAYKASSMA_CONFIG_DESCRIPTOR, paykassmaInput],
      ['kasha', KASHA_CONFIG_DESCRIPTOR, kashaInput],
    ];

    it.each(cases)('%s: export then import gives the identical config', (_, descriptor, input) => {
      const config = validateConfigWith(descriptor, input());
      const xml = exportPaymentIqXml(descriptor, config);
      expect(xml.startsWith(`<${descriptor.xmlRootElement}>`)).toBe(true);
      expect(importPaymentIqXml(descriptor, xml)).toEqual(config);
    });

    it.each(cases)('%s: a masked export shows only the mask and re-imports onto the stored secrets', (_, descriptor, input) => {
      const clear = validateConfigWith(descriptor, input());
      const stored = sealSecrets(descriptor, clear, box);
      const xml = exportPaymentIqXml(descriptor, maskConfig(descriptor, stored));

      expect(xml).toContain(`>${MASK}<`);
      for (const account of Object.values(clear.accounts) as Array<Record<string, unknown>>) {
        for (const field of descriptor.secretFields) {
          if (typeof account[field] === 'string') expect(xml).not.toContain(`>${account[field] as string}<`);
        }
      }
      for (const account of Object.values(stored.accounts) as Array<Record<string, unknown>>) {
        for (const field of descriptor.secretFields) {
          if (typeof account[field] === 'string') expect(xml).not.toContain(account[field] as string);
        }
      }

      const resealed = sealSecrets(descriptor, importPaymentIqXml(descriptor, xml), box, stored);
      expect(resealed).toEqual(stored);
      expect(openSecrets(descriptor, resealed, box)).toEqual(clear);
    });

    it('a masked export imported without the stored config names every masked secret', () => {
      const clear = validateConfigWith(PAYKASSMA_CONFIG_DESCRIPTOR, paykassmaInput());
      const xml = exportPaymentIqXml(PAYKASSMA_CONFIG_DESCRIPTOR, maskConfig(PAYKASSMA_CONFIG_DESCRIPTOR, clear));
      const imported = importPaymentIqXml(PAYKASSMA_CONFIG_DESCRIPTOR, xml);
      expect(fieldsOf(domainErrorOf(() => sealSecrets(PAYKASSMA_CONFIG_DESCRIPTOR, imported, box)))).toEqual([
        'accounts.DEFAULT.pluginApiSecret',
        'accounts.DEFAULT.postbackAccessKey',
        'accounts.DEFAULT.postbackPrivateKey',
        'accounts.DEFAULT.withdrawalPrivateKey',
      ]);
    });

    it('keeps digit-only identifiers as strings and escapes markup characters', () => {
      const config = validateConfigWith(IK, interkassaInput());
      const xml = exportPaymentIqXml(IK, config);
      expect(xml).toContain('<walletId>302120998124</walletId>');
      expect(xml).toContain('<secretKey>ik-sign-key &amp; &lt;secret></secretKey>');
      expect(xml).toContain('<paywayMapping>VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah</paywayMapping>');
      expect(xml).toContain('<threeDsRouting>\n          <enabled>true</enabled>\n          <mode>required_3ds_v2</mode>\n        </threeDsRouting>');
      const imported = importPaymentIqXml(IK, xml);
      expect(imported.accounts.DEFAULT.walletId).toBe('302120998124');
      expect(imported.accounts.UAH_ONLY.checkoutId).toBe('0001');
      expect(imported.timeoutMs).toBe(15000);
    });

    it('reads an empty nested element as an empty object', () => {
      const xml = `<${KASHA_CONFIG_DESCRIPTOR.xmlRootElement}><accounts><entry><string>A</string><account>
        <apiKey>k</apiKey><paths/></account></entry></accounts></${KASHA_CONFIG_DESCRIPTOR.xmlRootElement}>`;
      expect(importPaymentIqXml(KASHA_CONFIG_DESCRIPTOR, xml).accounts.A.paths).toEqual({});
    });
  });

  describe('rejects', () => {
    it('a wrong root element', () => {
      const xml = PAYMENTIQ_EXAMPLE.replaceAll(ROOT, 'com.devcode.paymentiq.integration.kasha.KashaConfig');
      const error = domainErrorOf(() => importPaymentIqXml(IK, xml));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(error.details).toEqual([{ field: 'xml', issue: `must have the single root element <${ROOT}>` }]);
    });

    it.each([
      ['malformed XML', `<${ROOT}><enabled>true</${ROOT}>`],
      ['an empty document', ''],
      ['plain text', 'enabled=true'],
      ['two roots', `<${ROOT}></${ROOT}><${ROOT}></${ROOT}>`],
      ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "v">]><${ROOT}><paywayMapping>&e;</paywayMapping></${ROOT}>`],
      ['text in the root', `<${ROOT}>true</${ROOT}>`],
    ])('%s, on the field "xml"', (_, xml) => {
      expect(fieldsOf(domainErrorOf(() => importPaymentIqXml(IK, xml)))).toEqual(['xml']);
    });

    it('unknown elements, naming the element path', () => {
      const xml = interkassaXml(
        `${MINIMAL_ACCOUNT}<foo>1</foo><threeDsRouting><enabled>true</enabled><mode>off</mode><x/></threeDsRouting>`,
        '<useProxy>true</useProxy>',
      );
      const error = domainErrorOf(() => importPaymentIqXml(IK, xml));
      expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.foo', 'accounts.DEFAULT.threeDsRouting.x', 'useProxy']);
      expect(issueOf(error, 'accounts.DEFAULT.foo')).toBe('is not a known field');
    });

    it('values that do not convert, by path', () => {
      const xml = interkassaXml(`${MINIMAL_ACCOUNT}<use3Dsecure>yes</use3Dsecure>`, '<timeoutMs>15s</timeoutMs><testMode>1</testMode>');
      expect(fieldsOf(domainErrorOf(() => importPaymentIqXml(IK, xml)))).toEqual(['accounts.DEFAULT.use3Dsecure', 'testMode', 'timeoutMs']);
    });

    it('repeated elements and repeated account names, together with validation problems', () => {
      const xml = `<${ROOT}>
        <enabled>true</enabled><enabled>false</enabled>
        <accounts>
          <entry><string>A</string><account><checkoutId>1</checkoutId><checkoutId>2</checkoutId><secretKey>s</secretKey></account></entry>
          <entry><string>A</string><account>${MINIMAL_ACCOUNT}</account></entry>
          <entry><string>B</string><account><secretKey>s</secretKey></account></entry>
        </accounts>
      </${ROOT}>`;
      const error = domainErrorOf(() => importPaymentIqXml(IK, xml));
      expect(fieldsOf(error)).toEqual(['accounts.A', 'accounts.A.checkoutId', 'accounts.B.checkoutId', 'enabled']);
      expect(issueOf(error, 'accounts.A.checkoutId')).toBe('appears more than once');
      expect(issueOf(error, 'accounts.B.checkoutId')).toBe('is required');
    });

    it('map entries of the wrong shape', () => {
      const xml = `<${ROOT}>
        <accounts>
          <entry><account>${MINIMAL_ACCOUNT}</account></entry>
          <entry><string>B</string><account>${MINIMAL_ACCOUNT}</account><extra/></entry>
        </accounts>
        <baseUrls><entry><string>api</string></entry></baseUrls>
      </${ROOT}>`;
      expect(fieldsOf(domainErrorOf(() => importPaymentIqXml(IK, xml)))).toEqual(['accounts.entry[0].string', 'accounts.entry[1].extra', 'baseUrls.entry[0]']);
    });

    it('an accounts element that holds something other than entries', () => {
      const xml = `<${ROOT}><accounts><DEFAULT>${MINIMAL_ACCOUNT}</DEFAULT></accounts></${ROOT}>`;
      expect(fieldsOf(domainErrorOf(() => importPaymentIqXml(IK, xml)))).toEqual(['accounts.DEFAULT']);
    });
  });
});
