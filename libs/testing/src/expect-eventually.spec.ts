import { expectEventually } from './expect-eventually';

describe('expectEventually', () => {
  it('returns once the assertion passes', async () => {
    let calls = 0;
    const value = await expectEventually(
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return calls;
      },
      1000,
      1,
    );
    expect(value).toBe(3);
  });

  it('rethrows the last failure when time runs out', async () => {
    await expect(expectEventually(() => expect(1).toBe(2), 30, 5)).rejects.toThrow(/toBe/);
  });
});
