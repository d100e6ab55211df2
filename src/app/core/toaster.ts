import { Injectable, inject, signal } from '@angular/core';
import { LiveAnnouncer } from '@angular/cdk/a11y';

export interface Toast {
  readonly id: number;
  readonly text: string;
}

const TOAST_MS = 6000;

/** Short, polite notices ("2 reviews sent"): shown on screen and announced to screen readers. */
@Injectable({ providedIn: 'root' })
export class Toaster {
  private readonly announcer = inject(LiveAnnouncer);
  private readonly items = signal<readonly Toast[]>([]);
  private nextId = 1;
  readonly toasts = this.items.asReadonly();

  show(text: string): void {
    const toast = { id: this.nextId++, text };
    this.items.update((items) => [...items.slice(-2), toast]);
    void this.announcer.announce(text, 'polite');
    setTimeout(() => this.dismiss(toast.id), TOAST_MS);
  }

  dismiss(id: number): void {
    this.items.update((items) => items.filter((toast) => toast.id !== id));
  }
}
