import { isDialerLibrary } from '../../src/campaigns/dialer-campaign-port.ts';

/**
 * The dialer's campaign service, CSV importer and error report: from its package once it
 * exports them, until then straight from its sources, so campaign tests run either way.
 */
export async function dialerLibrary(): Promise<Record<string, unknown>> {
  const pkg = (await import('@switchyard/dialer')) as Record<string, unknown>;
  if (isDialerLibrary(pkg)) return pkg;
  return {
    ...(await import('../../../dialer/src/db/dialer-schema.ts')),
    ...(await import('../../../dialer/src/campaign/campaign-service.ts')),
    ...(await import('../../../dialer/src/contacts/contact-importer.ts')),
    ...(await import('../../../dialer/src/contacts/import-report.ts')),
  };
}
