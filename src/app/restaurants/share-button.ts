import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/**
 * Share this page: the system share sheet where there is one (Web Share), else the link is
 * copied, and if even that is refused the link is shown, selected, to copy by hand.
 */
@Component({
  selector: 'app-share-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'share-button' },
  template: `
    <button type="button" class="button button-quiet" (click)="share()">
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path d="M12 3v12M7 8l5-5 5 5M5 13v6h14v-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      Share
    </button>
    <span class="share-status" role="status">{{ status() }}</span>
    @if (manual()) {
      <label class="share-manual">
        <span class="visually-hidden">Link to this restaurant</span>
        <input #link class="input" type="text" readonly [value]="url()" (focus)="link.select()" />
      </label>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .share-status:empty {
      display: none;
    }
    .share-status {
      color: var(--text-muted);
      font-size: 0.9rem;
    }
    .share-manual {
      flex: 1 1 100%;
    }
  `,
})
export class ShareButton {
  readonly title = input.required<string>();
  readonly url = input.required<string>();

  protected readonly status = signal('');
  protected readonly manual = signal(false);

  protected async share(): Promise<void> {
    this.status.set('');
    const data = { title: this.title(), url: this.url() };
    if (typeof navigator.share === 'function' && (navigator.canShare?.(data) ?? true)) {
      try {
        await navigator.share(data);
        return;
      } catch (error) {
        // The person closed the sheet: nothing to do. Anything else falls back to copying.
        if ((error as DOMException)?.name === 'AbortError') return;
      }
    }
    try {
      await navigator.clipboard.writeText(this.url());
      this.status.set('Link copied');
    } catch {
      this.manual.set(true);
      this.status.set('Copy the link below');
    }
  }
}
