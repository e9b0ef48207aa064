/**
 * A stand-in for a dependency that implements only what the test gives it; any other call fails
 * the test loudly instead of returning undefined.
 */
export function strictMock<T extends object>(implemented: Partial<T> = {}, name = 'mock'): T {
  return new Proxy(implemented as T, {
    get(target, property, receiver) {
      if (property in target || typeof property === 'symbol' || property === 'then') return Reflect.get(target, property, receiver);
      throw new Error(`${name}.${String(property)} was called but the test did not set it up`);
    },
  });
}
