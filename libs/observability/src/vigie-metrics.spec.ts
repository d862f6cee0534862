import { checkReadiness } from './readiness';
import { ApiMetrics, startMetricsServer, VigieMetrics } from './vigie-metrics';

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

describe('readiness', () => {
  it('names each dependency that fails or does not answer in time; only the required ones decide', async () => {
    const r = await checkReadiness(
      {
        redis: async () => 'PONG',
        influxdb: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:8086');
        },
        slow: () => new Promise((resolve) => setTimeout(resolve, 1000)),
      },
      { timeoutMs: 50, required: ['redis', 'slow'] },
    );
    expect(r).toEqual({
      ready: false,
      checks: {
        redis: 'up',
        influxdb: 'connect ECONNREFUSED 127.0.0.1:8086',
        slow: 'no answer within 50 ms',
      },
    });
    expect((await checkReadiness({ redis: async () => 'PONG', influxdb: async () => 1 })).ready).toBe(true);
  });

  it('serves /readyz as 200 or 503 with the checks', async () => {
    let influxUp = true;
    const ready = () =>
      checkReadiness(
        {
          redis: async () => 'PONG',
          influxdb: async () => (influxUp ? 'v1.6.7' : Promise.reject(new Error('down'))),
        },
        { required: ['influxdb'] },
      );
    const { server, port } = await startMetricsServer(new VigieMetrics(false), '127.0.0.1', 0, ready);
    try {
      const get = async () => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        return [res.status, await res.json()];
      };
      expect(await get()).toEqual([200, { status: 'ready', checks: { redis: 'up', influxdb: 'up' } }]);
      influxUp = false;
      expect(await get()).toEqual([503, { status: 'not_ready', checks: { redis: 'up', influxdb: 'down' } }]);
    } finally {
      server.close();
    }
  });
});

describe('ApiMetrics', () => {
  it('counts jobs by outcome, and reads the queues at each scrape', async () => {
    const metrics = new ApiMetrics(false);
    let waiting = 3;
    metrics.collectQueues = async () => ({ 'vigie-kpi': { waiting, active: 1 } });
    expect(await metrics.observeJob('vigie-kpi', 'kpi.compute', async () => 42)).toBe(42);
    await expect(
      metrics.observeJob('vigie-kpi', 'kpi.compute', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    let text = await metrics.registry.metrics();
    expect(text).toContain('vigie_jobs_total{queue="vigie-kpi",name="kpi.compute",outcome="completed"} 1');
    expect(text).toContain('vigie_jobs_total{queue="vigie-kpi",name="kpi.compute",outcome="failed"} 1');
    expect(text).toContain('vigie_job_duration_seconds_count{queue="vigie-kpi",name="kpi.compute"} 2');
    expect(text).toContain('vigie_queue_jobs{queue="vigie-kpi",state="waiting"} 3');
    waiting = 0;
    text = await metrics.registry.metrics();
    expect(text).toContain('vigie_queue_jobs{queue="vigie-kpi",state="waiting"} 0');
    expect(text).toContain('vigie_queue_jobs{queue="vigie-kpi",state="active"} 1');
  });
});
