import { freePort } from '@vigie/local-services';
import { startSmtpServer, startWebhookReceiver } from '@vigie/testing';
import { NotifyError, NotifyErrorCode } from './notify.errors';
import { messageIdOf, SmtpNotifier } from './smtp.notifier';
import { webhookSignature, WebhookNotifier } from './webhook.notifier';

const delivery = {
  idempotencyKey: 'a1:fired:oncall:ops:webhook',
  tenant: 'demo',
  route: 'oncall',
  subject: '[CRITICAL] Bin temperature at fire level — bin-gare-021',
  text: 'Value: 63 °C (threshold 60 °C)\n',
  body: { id: 'a1:fired', type: 'fired' },
};

async function failure(p: Promise<void>): Promise<NotifyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof NotifyError) return err;
    throw err;
  }
  throw new Error('expected a NotifyError');
}

describe('WebhookNotifier (real HTTP receiver)', () => {
  it('signs "<timestamp>.<body>" with the secret and sends the idempotency key', async () => {
    const hook = await startWebhookReceiver();
    try {
      await new WebhookNotifier({ timeoutMs: 2000, clock: () => 1780000000 }).send({
        ...delivery,
        channel: 'webhook',
        to: hook.url,
        secret: 'route-secret',
      });
      const [r] = hook.requests;
      expect(r.body).toBe('{"id":"a1:fired","type":"fired"}');
      expect(r.headers).toMatchObject({
        'idempotency-key': delivery.idempotencyKey,
        'x-vigie-timestamp': '1780000000',
        'x-vigie-signature': webhookSignature('route-secret', '1780000000', r.body),
      });
    } finally {
      await hook.close();
    }
  });

  it.each<[string, number, NotifyErrorCode, boolean]>([
    ['500', 500, NotifyErrorCode.WebhookUnavailable, false],
    ['503', 503, NotifyErrorCode.WebhookUnavailable, false],
    ['429', 429, NotifyErrorCode.WebhookUnavailable, false],
    ['408', 408, NotifyErrorCode.WebhookUnavailable, false],
    ['400', 400, NotifyErrorCode.WebhookRejected, true],
    ['404', 404, NotifyErrorCode.WebhookRejected, true],
    ['410', 410, NotifyErrorCode.WebhookRejected, true],
  ])('classifies a %s answer', async (_, status, code, permanent) => {
    const hook = await startWebhookReceiver();
    try {
      hook.failNext(1, status);
      const err = await failure(
        new WebhookNotifier({ timeoutMs: 2000 }).send({ ...delivery, channel: 'webhook', to: hook.url }),
      );
      expect({ code: err.code, permanent: err.permanent }).toEqual({ code, permanent });
      expect(err.message).toContain(`answered ${status}`);
    } finally {
      await hook.close();
    }
  });

  it('treats a slow receiver and a closed port as transient', async () => {
    const hook = await startWebhookReceiver();
    try {
      hook.setDelay(1000);
      const slow = await failure(
        new WebhookNotifier({ timeoutMs: 100 }).send({ ...delivery, channel: 'webhook', to: hook.url }),
      );
      expect({ code: slow.code, permanent: slow.permanent }).toEqual({
        code: NotifyErrorCode.WebhookTimeout,
        permanent: false,
      });
    } finally {
      await hook.close();
    }
    const port = await freePort();
    const closed = await failure(
      new WebhookNotifier({ timeoutMs: 1000 }).send({
        ...delivery,
        channel: 'webhook',
        to: `http://127.0.0.1:${port}/hook`,
      }),
    );
    expect({ code: closed.code, permanent: closed.permanent }).toEqual({
      code: NotifyErrorCode.WebhookUnreachable,
      permanent: false,
    });
  });
});

describe('SmtpNotifier (real SMTP server)', () => {
  it('sends a decoded subject, text and the Message-ID of the idempotency key', async () => {
    const smtp = await startSmtpServer();
    const n = new SmtpNotifier({ url: smtp.url, from: 'vigie@ville.fr' });
    try {
      await n.send({ ...delivery, channel: 'email', to: 'astreinte@ville.fr' });
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toMatchObject({
        to: ['astreinte@ville.fr'],
        subject: delivery.subject,
        text: delivery.text,
        messageId: messageIdOf(delivery.idempotencyKey),
      });
    } finally {
      n.close();
      await smtp.close();
    }
  });

  it('fails for good on a 550 and without a server, transiently on a 451 and a closed port', async () => {
    const smtp = await startSmtpServer();
    const n = new SmtpNotifier({ url: smtp.url, from: 'vigie@ville.fr' });
    const mail = { ...delivery, channel: 'email' as const, to: 'x@ville.fr' };
    try {
      smtp.rejectNext(1, 550);
      expect((await failure(n.send(mail))).code).toBe(NotifyErrorCode.SmtpRejected);
      smtp.rejectNext(1, 451);
      const later = await failure(n.send(mail));
      expect({ code: later.code, permanent: later.permanent }).toEqual({
        code: NotifyErrorCode.SmtpUnavailable,
        permanent: false,
      });
    } finally {
      n.close();
      await smtp.close();
    }
    const none = await failure(new SmtpNotifier({ from: 'vigie@ville.fr' }).send(mail));
    expect({ code: none.code, permanent: none.permanent }).toEqual({
      code: NotifyErrorCode.SmtpNotConfigured,
      permanent: true,
    });
    const port = await freePort();
    const down = new SmtpNotifier({
      url: `smtp://u:p4ssw0rd@127.0.0.1:${port}`,
      from: 'v@x.fr',
      timeoutMs: 1000,
    });
    const refused = await failure(down.send(mail));
    expect({ code: refused.code, permanent: refused.permanent }).toEqual({
      code: NotifyErrorCode.SmtpUnavailable,
      permanent: false,
    });
    expect(refused.message).not.toContain('p4ssw0rd');
  });
});
