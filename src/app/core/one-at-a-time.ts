/**
 * Wraps `task` so that it runs one at a time. A call while it runs asks for one more run right
 * after it, however many calls come meanwhile, and gets the promise of that last run: so what
 * the caller waits for always started after its call. `again` may end the repeats early (say,
 * after a failure, when running again at once would fail the same way).
 */
export function oneAtATime<T>(task: () => Promise<T>, again: (result: T) => boolean = () => true): () => Promise<T> {
  let running: Promise<T> | undefined;
  let asked = false;
  const repeat = async (): Promise<T> => {
    let result: T;
    do {
      asked = false;
      result = await task();
    } while (asked && again(result));
    return result;
  };
  return () => {
    if (running) {
      asked = true;
      return running;
    }
    running = repeat().finally(() => (running = undefined));
    return running;
  };
}
