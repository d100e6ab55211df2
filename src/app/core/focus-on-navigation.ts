import { Injectable, afterNextRender, inject, Injector } from '@angular/core';
import { NavigationEnd, NavigationStart, Router } from '@angular/router';
import { filter } from 'rxjs';

/**
 * After a route change, focus moves to the new page's `h1`, so a screen reader hears the new page
 * and a keyboard user starts at its top. The first load keeps the browser's own focus.
 */
@Injectable({ providedIn: 'root' })
export class FocusOnNavigation {
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  /** Set when the new page put focus somewhere on purpose (a form it opened): the h1 then waits. */
  private claimed = false;

  /** The new page moves focus itself; the heading does not take it away again. */
  claim(): void {
    this.claimed = true;
  }

  /**
   * Started after the first paint (src/app/core/background-start.ts): a page already shown counts
   * as the first one. Also brings a new page to its top, except on Back/Forward, where the list
   * restores its own place (ListMemory): that is all the app needed of the router's in-memory
   * scrolling, which costs 1.2 KB gzip of the initial chunk.
   */
  start(): void {
    let lastPath = this.router.navigated ? pathOf(this.router.url) : undefined;
    let popstate = false;
    // A claim belongs to one navigation: made while its page is created, before NavigationEnd.
    this.router.events.pipe(filter((event) => event instanceof NavigationStart)).subscribe((event) => {
      this.claimed = false;
      popstate = event.navigationTrigger === 'popstate';
    });
    this.router.events.pipe(filter((event) => event instanceof NavigationEnd)).subscribe((event) => {
      const path = pathOf(event.urlAfterRedirects);
      const firstOrSamePage = lastPath === undefined || path === lastPath;
      lastPath = path;
      // A change of query only (the list's filters) is not a new page: focus stays on the control in use.
      if (firstOrSamePage) return;
      if (!popstate) window.scrollTo(0, 0);
      afterNextRender(() => focusHeading(20, () => this.claimed), { injector: this.injector });
    });
  }
}

function pathOf(url: string): string {
  return url.split(/[?#]/)[0]!;
}

/** Focuses the page's `h1`, waiting a little for lazy pages that render it after their data. */
export function focusHeading(attempts = 20, claimed: () => boolean = () => false): void {
  if (claimed()) return;
  const heading = document.querySelector<HTMLElement>('main h1');
  if (heading) {
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  } else if (attempts > 0) {
    setTimeout(() => focusHeading(attempts - 1, claimed), 50);
  }
}

/**
 * Runs `act` on the element `find` returns once it is in the DOM, checking every 50 ms for about
 * two seconds: for controls inside `@defer` blocks, whose chunk may still be on its way.
 */
export function whenInDom<T extends Element>(find: () => T | null | undefined, act: (element: T) => void, attempts = 40): void {
  const element = find();
  if (element) act(element);
  else if (attempts > 0) setTimeout(() => whenInDom(find, act, attempts - 1), 50);
}
