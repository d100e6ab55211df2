import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { FavoriteToggle } from './favorite-toggle';
import { RestaurantData } from './restaurant-data';

describe('FavoriteToggle', () => {
  let fixture: ComponentFixture<FavoriteToggle>;
  let setFavorite: jasmine.Spy;
  let resolveWrite: () => void;

  beforeEach(() => {
    // The write never settles until the test says so: the button must not wait for it.
    setFavorite = jasmine.createSpy('setFavorite').and.callFake(
      () => new Promise<void>((resolve) => (resolveWrite = resolve)),
    );
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: RestaurantData, useValue: { setFavorite } }],
    });
    fixture = TestBed.createComponent(FavoriteToggle);
    fixture.componentRef.setInput('restaurantId', 2);
    fixture.componentRef.setInput('name', 'Emily');
    fixture.componentRef.setInput('favorite', false);
    fixture.detectChanges();
  });

  const button = () => fixture.nativeElement.querySelector('button') as HTMLButtonElement;

  it('is a button named after the restaurant', () => {
    expect(button().type).toBe('button');
    expect(button().getAttribute('aria-label')).toBe('Favorite Emily');
    expect(button().getAttribute('aria-pressed')).toBe('false');
  });

  it('flips aria-pressed at once, before the write settles', () => {
    button().click();
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('true');
    expect(setFavorite).toHaveBeenCalledOnceWith(2, true);
    resolveWrite();
  });

  it('says when its state is a wish still waiting to sync, and describes the button with it', async () => {
    expect(button().textContent).not.toContain('Waiting to sync');
    fixture.componentRef.setInput('sync', 'pending');
    await fixture.whenStable();
    const waiting = button().querySelector('.favorite-waiting')!;
    expect(waiting.textContent).toBe('Waiting to sync');
    expect(button().getAttribute('aria-describedby')).toBe(waiting.id);
    expect(button().getAttribute('aria-label')).withContext('the name stays').toBe('Favorite Emily');
    fixture.componentRef.setInput('sync', 'synced');
    await fixture.whenStable();
    expect(button().querySelector('.favorite-waiting')).toBeNull();
    expect(button().hasAttribute('aria-describedby')).toBeFalse();
  });

  it('keeps the same name in both states', () => {
    button().click();
    fixture.detectChanges();
    expect(button().getAttribute('aria-label')).toBe('Favorite Emily');
  });

  it('unfavorites a favorite', () => {
    fixture.componentRef.setInput('favorite', true);
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('true');
    button().click();
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('false');
    expect(setFavorite).toHaveBeenCalledOnceWith(2, false);
  });

  it('follows the data when it changes elsewhere (another tab)', () => {
    fixture.componentRef.setInput('favorite', true);
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('true');
  });

  it('flips back if the device cannot store the wish', async () => {
    setFavorite.and.returnValue(Promise.reject(new Error('quota')));
    button().click();
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('true');
    await new Promise((settled) => setTimeout(settled));
    fixture.detectChanges();
    expect(button().getAttribute('aria-pressed')).toBe('false');
  });
});
