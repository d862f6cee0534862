import { startMetricsServer, VigieMetrics } from './vigie-metrics';

describe('metrics endpoint', () => {
  it('serves the counters in Prometheus text on /metrics, and /healthz', async () => {
    const metrics = new VigieMetrics(false);
    metrics.readingsRejected.inc({ reason: 'invalid_json' }, 3);
    metrics.readingsAccepted.inc(7);
    const { server, port } = await startMetricsServer(metrics, '127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('vigie_readings_rejected_total{reason="invalid_json"} 3');
      expect(text).toContain('vigie_readings_accepted_total 7');
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('ok\n');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
