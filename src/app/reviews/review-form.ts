import {
  type OnInit,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { type AbstractControl, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { REVIEW_LIMITS } from '../../shared/api';
import { Connectivity } from '../sync/connectivity';
import { type ReviewItem, ReviewData } from './review-data';
import { maxTrimmedLength, requiredText, starRating } from './review-validators';

type ReviewFormGroup = FormGroup<{
  name: FormControl<string>;
  rating: FormControl<number | null>;
  comments: FormControl<string>;
}>;
type FieldName = 'name' | 'rating' | 'comments';

const FIELDS: readonly FieldName[] = ['name', 'rating', 'comments'];
const RATINGS = Array.from(
  { length: REVIEW_LIMITS.ratingMax - REVIEW_LIMITS.ratingMin + 1 },
  (_, i) => REVIEW_LIMITS.ratingMin + i,
);
const numberFormat = new Intl.NumberFormat('en-US');

/**
 * Writes a review into the outbox: it works the same offline, and the review shows in the list at
 * once (the list's stream re-emits on its own). Invalid input sends nothing and puts focus on the
 * first field to fix. Given a `review`, it edits that one of the person's reviews instead.
 */
@Component({
  selector: 'app-review-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule],
  templateUrl: './review-form.html',
  styleUrl: './review-form.css',
})
export class ReviewForm implements OnInit {
  readonly restaurantId = input.required<number>();
  /** The person's own review to edit; absent for a new review. */
  readonly review = input<ReviewItem>();
  /** Field ids start with this, so an edit form and the new-review form can share a page. */
  readonly idPrefix = input('review');
  /** An edit was saved or cancelled. */
  readonly closed = output<void>();

  private readonly reviews = inject(ReviewData);
  private readonly injector = inject(Injector);
  protected readonly connectivity = inject(Connectivity);

  protected readonly limits = REVIEW_LIMITS;
  protected readonly ratings = RATINGS;

  protected readonly form: ReviewFormGroup = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [requiredText, maxTrimmedLength(REVIEW_LIMITS.nameMaxLength)],
    }),
    rating: new FormControl<number | null>(null, { validators: [Validators.required, starRating] }),
    comments: new FormControl('', {
      nonNullable: true,
      validators: [requiredText, maxTrimmedLength(REVIEW_LIMITS.commentsMaxLength)],
    }),
  });

  /** Every form event (value, status, touched, reset) as a signal, so the messages below follow it. */
  private readonly formEvents = toSignal(this.form.events);
  private readonly submitted = signal(false);
  protected readonly saving = signal(false);
  protected readonly status = signal('');
  protected readonly saveError = signal('');

  /** The message to show per field, or '' — after a submit attempt or once the field was left. */
  protected readonly errors = computed(() => {
    this.formEvents();
    const submitted = this.submitted();
    const messages = {} as Record<FieldName, string>;
    for (const field of FIELDS) {
      const control = this.form.controls[field];
      messages[field] = control.invalid && (submitted || control.touched) ? errorMessage(field, control) : '';
    }
    return messages;
  });

  protected readonly commentsLength = computed(() => {
    this.formEvents();
    return this.form.controls.comments.value.trim().length;
  });
  protected readonly commentsCount = computed(
    () => `${numberFormat.format(this.commentsLength())} of ${numberFormat.format(REVIEW_LIMITS.commentsMaxLength)} characters`,
  );

  private readonly nameField = viewChild.required<ElementRef<HTMLElement>>('nameField');
  private readonly ratingField = viewChild.required<ElementRef<HTMLElement>>('ratingField');
  private readonly commentsField = viewChild.required<ElementRef<HTMLElement>>('commentsField');
  private readonly statusMessage = viewChild.required<ElementRef<HTMLElement>>('statusMessage');

  ngOnInit(): void {
    const review = this.review();
    if (review) this.form.setValue({ name: review.name, rating: review.rating, comments: review.comments });
  }

  private fieldElement(field: FieldName): HTMLElement {
    const fields = { name: this.nameField, rating: this.ratingField, comments: this.commentsField };
    const element = fields[field]().nativeElement;
    // The rating is a group: focus its chosen star, else the first one.
    if (field === 'rating') return element.querySelector<HTMLElement>('input:checked') ?? element.querySelector('input') ?? element;
    return element;
  }

  protected chooseRating(stars: number): void {
    const rating = this.form.controls.rating;
    rating.setValue(stars);
    rating.markAsDirty();
  }

  /** "4 of 5 stars" beside the stars, for the eye (each radio already says its own value). */
  protected readonly choiceText = computed(() => {
    this.formEvents();
    const value = this.form.controls.rating.value;
    return value === null ? 'Choose 1 to 5 stars' : `${value} of ${REVIEW_LIMITS.ratingMax} stars`;
  });

  protected describedBy(field: FieldName, ...always: string[]): string | null {
    const ids = [...always, this.errors()[field] ? `${this.idPrefix()}-${field}-error` : ''].filter(Boolean);
    return ids.length ? ids.join(' ') : null;
  }

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    this.submitted.set(true);
    this.status.set('');
    this.saveError.set('');
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      const firstInvalid = FIELDS.find((field) => this.form.controls[field].invalid);
      if (firstInvalid) this.fieldElement(firstInvalid).focus();
      return;
    }
    const { name, rating, comments } = this.form.getRawValue();
    const values = { name: name.trim(), rating: rating as number, comments: comments.trim() };
    const editing = this.review();
    this.saving.set(true);
    try {
      if (editing) await this.reviews.edit(editing, values);
      else await this.reviews.add({ restaurant_id: this.restaurantId(), ...values });
    } catch {
      this.saveError.set('Your review could not be saved on this device. Please try again.');
      return;
    } finally {
      this.saving.set(false);
    }
    if (editing) {
      this.closed.emit();
      return;
    }
    this.form.reset();
    this.submitted.set(false);
    // No promise about delivery here: the review itself, in the list, shows its state as it
    // changes (saved on this device, sent, or not sent and why), so nothing can contradict it.
    this.status.set('Thank you! Your review is added to the reviews, which show whether it has been sent.');
    afterNextRender(() => this.statusMessage().nativeElement.focus(), { injector: this.injector });
  }
}

function errorMessage(field: FieldName, control: AbstractControl): string {
  const errors = control.errors ?? {};
  switch (field) {
    case 'name':
      return errors['required']
        ? 'Enter your name.'
        : `Your name can be at most ${REVIEW_LIMITS.nameMaxLength} characters.`;
    case 'rating':
      return `Choose a rating from ${REVIEW_LIMITS.ratingMin} to ${REVIEW_LIMITS.ratingMax} stars.`;
    case 'comments':
      return errors['required']
        ? 'Write a few words about your visit.'
        : `Comments can be at most ${numberFormat.format(REVIEW_LIMITS.commentsMaxLength)} characters.`;
  }
}
