import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { StarRating, starLabel } from './star-rating';

describe('starLabel', () => {
  it('says the rating in words', () => {
    expect(starLabel(4)).toBe('4 out of 5 stars');
    expect(starLabel(1)).toBe('1 out of 5 stars');
  });

  it('keeps odd ratings on the scale', () => {
    expect(starLabel(7)).toBe('5 out of 5 stars');
    expect(starLabel(-1)).toBe('0 out of 5 stars');
    expect(starLabel(3.6)).toBe('4 out of 5 stars');
    expect(starLabel(Number.NaN)).toBe('0 out of 5 stars');
  });
});

describe('StarRating', () => {
  function render(rating: number): HTMLElement {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(StarRating);
    fixture.componentRef.setInput('rating', rating);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('is one image with a text alternative', () => {
    const element = render(4);
    expect(element.getAttribute('role')).toBe('img');
    expect(element.getAttribute('aria-label')).toBe('4 out of 5 stars');
    expect(element.textContent?.trim()).toBe('4 out of 5 stars');
  });

  it('fills as many stars as the rating, and hides the drawing', () => {
    const element = render(2);
    const stars = [...element.querySelectorAll('svg')];
    expect(stars.length).toBe(5);
    expect(stars.filter((star) => star.classList.contains('filled')).length).toBe(2);
    expect(stars.every((star) => star.getAttribute('aria-hidden') === 'true')).toBeTrue();
  });
});
