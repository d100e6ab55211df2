import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { REVIEW_LIMITS } from '../../shared/api';
import { ReviewData } from './review-data';
import { ReviewForm } from './review-form';

describe('ReviewForm', () => {
  let fixture: ComponentFixture<ReviewForm>;
  let element: HTMLElement;
  let add: jasmine.Spy;

  beforeEach(() => {
    // Only stands in for the outbox, to see whether the form sent anything at all.
    add = jasmine.createSpy('add').and.resolveTo({});
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ReviewData, useValue: { add } }],
    });
    fixture = TestBed.createComponent(ReviewForm);
    fixture.componentRef.setInput('restaurantId', 3);
    fixture.detectChanges();
    element = fixture.nativeElement as HTMLElement;
    document.body.appendChild(element); // focus needs a connected element
  });

  afterEach(() => element.remove());

  const field = <T extends HTMLElement>(id: string) => element.querySelector<T>(`#review-${id}`)!;

  function type(id: 'name' | 'comments', value: string): void {
    const input = field<HTMLInputElement | HTMLTextAreaElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function rate(value: string): void {
    field('rating').querySelector<HTMLInputElement>(`input[value="${value}"]`)!.click();
  }

  const radios = () => [...field('rating').querySelectorAll<HTMLInputElement>('input[type="radio"]')];

  async function submit(): Promise<void> {
    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
    fixture.detectChanges();
  }

  function fillValid(): void {
    type('name', 'Ada');
    rate('4');
    type('comments', 'Lovely dumplings.');
    fixture.detectChanges();
  }

  it('labels every field', () => {
    const label = (id: string) => element.querySelector(`label[for="review-${id}"]`)?.textContent?.trim();
    expect(label('name')).toBe('Name');
    const group = field('rating');
    expect(group.getAttribute('role')).toBe('radiogroup');
    expect(element.querySelector(`#${group.getAttribute('aria-labelledby')}`)?.textContent?.trim()).toBe('Rating');
    expect(label('comments')).toBe('Comments');
    expect(element.querySelector('button[type="submit"]')?.textContent?.trim()).toBe('Submit review');
  });

  it('offers ratings 1 to 5 as star radio buttons, none chosen at first', () => {
    expect(radios().map((r) => r.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(radios().map((r) => r.closest('label')?.textContent?.trim())).toEqual(['1 star', '2 stars', '3 stars', '4 stars', '5 stars']);
    expect(radios().some((r) => r.checked)).toBeFalse();
    expect(new Set(radios().map((r) => r.name)).size).toBe(1);
  });

  describe('validation', () => {
    it('requires a name, and whitespace is not a name', () => {
      fillValid();
      type('name', '');
      expect(fixture.componentInstance['form'].controls.name.hasError('required')).toBeTrue();
      type('name', '   \t ');
      expect(fixture.componentInstance['form'].controls.name.hasError('required')).toBeTrue();
      type('name', ' Ada ');
      expect(fixture.componentInstance['form'].controls.name.valid).toBeTrue();
    });

    it('requires comments, and whitespace is not a comment', () => {
      type('comments', '\n\n  ');
      expect(fixture.componentInstance['form'].controls.comments.hasError('required')).toBeTrue();
    });

    it('limits the name to the server limit', () => {
      const name = fixture.componentInstance['form'].controls.name;
      type('name', 'x'.repeat(REVIEW_LIMITS.nameMaxLength));
      expect(name.valid).toBeTrue();
      type('name', 'x'.repeat(REVIEW_LIMITS.nameMaxLength + 1));
      expect(name.hasError('maxlength')).toBeTrue();
    });

    it('limits the comments to the server limit', () => {
      const comments = fixture.componentInstance['form'].controls.comments;
      type('comments', 'x'.repeat(REVIEW_LIMITS.commentsMaxLength));
      expect(comments.valid).toBeTrue();
      type('comments', 'x'.repeat(REVIEW_LIMITS.commentsMaxLength + 1));
      expect(comments.hasError('maxlength')).toBeTrue();
    });

    it('accepts only whole ratings from 1 to 5', () => {
      const rating = fixture.componentInstance['form'].controls.rating;
      expect(rating.hasError('required')).toBeTrue();
      for (const bad of [0, 6, 2.5, -1]) {
        rating.setValue(bad);
        expect(rating.invalid).withContext(`rating ${bad}`).toBeTrue();
      }
      for (const good of [1, 3, 5]) {
        rating.setValue(good);
        expect(rating.valid).withContext(`rating ${good}`).toBeTrue();
      }
      rate('5');
      expect(rating.value).toBe(5);
    });

    it('counts the comment characters against the limit', () => {
      type('comments', 'Great');
      fixture.detectChanges();
      expect(field('comments').getAttribute('aria-describedby')).toContain('review-comments-count');
      expect(element.querySelector('#review-comments-count')?.textContent?.trim()).toBe('5 of 4,000 characters');
    });
  });

  describe('an invalid submit', () => {
    it('sends nothing and focuses the first invalid field', async () => {
      type('comments', 'Only comments');
      fixture.detectChanges();
      await submit();
      expect(add).not.toHaveBeenCalled();
      expect(document.activeElement).toBe(field('name'));
    });

    it('focuses the rating when only the rating is missing', async () => {
      type('name', 'Ada');
      type('comments', 'Nice.');
      fixture.detectChanges();
      await submit();
      expect(add).not.toHaveBeenCalled();
      expect(document.activeElement).toBe(radios()[0]);
    });

    it('shows each error tied to its field', async () => {
      await submit();
      for (const id of ['name', 'rating', 'comments']) {
        const control = field(id);
        expect(control.getAttribute('aria-invalid')).withContext(id).toBe('true');
        const error = element.querySelector(`#review-${id}-error`);
        expect(error?.textContent?.trim()).withContext(id).toBeTruthy();
        expect(control.getAttribute('aria-describedby')?.split(' ')).withContext(id).toContain(`review-${id}-error`);
      }
    });
  });

  it('shows no errors before a submit attempt or a visit to the field', () => {
    expect(element.querySelectorAll('.field-error').length).toBe(0);
    expect(field('name').hasAttribute('aria-invalid')).toBeFalse();
  });

  it('shows a field error once the field is left', () => {
    field('name').dispatchEvent(new Event('blur'));
    fixture.detectChanges();
    expect(element.querySelector('#review-name-error')?.textContent?.trim()).toBe('Enter your name.');
    expect(element.querySelector('#review-comments-error')).toBeNull();
  });

  it('sends a valid review, trimmed, then resets and reports', async () => {
    type('name', '  Ada  ');
    rate('4');
    type('comments', '  Lovely dumplings.  ');
    fixture.detectChanges();
    await submit();
    expect(add).toHaveBeenCalledOnceWith({ restaurant_id: 3, name: 'Ada', rating: 4, comments: 'Lovely dumplings.' });
    expect(field<HTMLInputElement>('name').value).toBe('');
    expect(radios().some((r) => r.checked)).toBeFalse();
    await fixture.whenStable();
    const status = element.querySelector<HTMLElement>('.form-status')!;
    expect(status.textContent).toContain('Your review is added to the reviews');
    expect(status.textContent).not.toMatch(/being sent|will be sent/);
    expect(document.activeElement).toBe(status);
    expect(element.querySelectorAll('.field-error').length).toBe(0);
  });
});
