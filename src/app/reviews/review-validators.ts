import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { REVIEW_LIMITS } from '../../shared/api';

/** Like `Validators.required`, but "   " is empty too: the server would store a blank review. */
export function requiredText(control: AbstractControl<string | null>): ValidationErrors | null {
  return (control.value ?? '').trim() ? null : { required: true };
}

/** Counts what is sent: the text is trimmed before it leaves the form. */
export function maxTrimmedLength(max: number): ValidatorFn {
  return (control: AbstractControl<string | null>) => {
    const length = (control.value ?? '').trim().length;
    return length > max ? { maxlength: { requiredLength: max, actualLength: length } } : null;
  };
}

/** A whole number of stars within the server's bounds; `null` is left to `Validators.required`. */
export function starRating(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  if (value === null) return null;
  const valid = Number.isInteger(value) && value >= REVIEW_LIMITS.ratingMin && value <= REVIEW_LIMITS.ratingMax;
  return valid ? null : { rating: { min: REVIEW_LIMITS.ratingMin, max: REVIEW_LIMITS.ratingMax } };
}
