import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/** `navigator.onLine` as a signal. It only knows "no network at all"; a dead server looks online. */
@Injectable({ providedIn: 'root' })
export class Connectivity {
  private readonly isOnline = signal(navigator.onLine);
  readonly online = this.isOnline.asReadonly();

  constructor() {
    const update = () => this.isOnline.set(navigator.onLine);
    addEventListener('online', update);
    addEventListener('offline', update);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    });
  }
}
