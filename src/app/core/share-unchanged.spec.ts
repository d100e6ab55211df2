import { firstValueFrom, of, toArray } from 'rxjs';
import { type Loaded, LOADING, ready } from './loaded';
import { equalJson, shareUnchanged, sharedValue } from './share-unchanged';

describe('shareUnchanged', () => {
  const a = { id: 1, name: 'A', latlng: { lat: 1, lng: 2 } };
  const b = { id: 2, name: 'B', latlng: { lat: 3, lng: 4 } };

  it('keeps the previous objects of equal items, and the previous list when all are equal', () => {
    const list = [a, b];
    expect(sharedValue(list, structuredClone(list))).toBe(list);
    const changed = [structuredClone(a), { ...b, name: 'B2' }];
    const shared = sharedValue(list, changed);
    expect(shared).not.toBe(list);
    expect(shared[0]).withContext('unchanged item keeps its object').toBe(a);
    expect(shared[1]).toBe(changed[1]);
    expect(sharedValue(list, [structuredClone(a)])).toEqual([a]);
  });

  it('drops an emission that changes nothing, and passes one that only changes freshness', async () => {
    const list = [a, b];
    const states: Array<Loaded<typeof list>> = [LOADING, ready(list, true), ready(structuredClone(list), true), ready(structuredClone(list), false)];
    const emitted = await firstValueFrom(
      of(...states).pipe(
        shareUnchanged(),
        toArray(),
      ),
    );
    expect(emitted.map((e) => (e.state === 'ready' ? `ready ${e.stale}` : e.state))).toEqual(['loading', 'ready true', 'ready false']);
    const last = emitted.at(-1)!;
    expect(last.state === 'ready' && last.value).withContext('the fresh answer hands on the same list').toBe(list);
  });

  it('compares plain data deeply: keys, order of arrays, nested objects', () => {
    expect(equalJson({ x: [1, { y: 2 }] }, { x: [1, { y: 2 }] })).toBeTrue();
    expect(equalJson({ x: [1, 2] }, { x: [2, 1] })).toBeFalse();
    expect(equalJson({ x: 1 }, { x: 1, y: undefined })).toBeFalse();
    expect(equalJson({ x: 1, y: undefined }, { x: 1, z: undefined })).toBeFalse();
    expect(equalJson([], {})).toBeFalse();
    expect(equalJson(null, {})).toBeFalse();
    expect(equalJson(Number.NaN, Number.NaN)).toBeTrue();
  });
});
