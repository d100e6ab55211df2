import type { ReviewItem } from './review-data';

/**
 * The one wording of a review's delivery state, shown with the review itself and nowhere else:
 * "saved on this device" while it waits, "sent" once the server has it, "not sent: reason" when
 * the server refused it. Everything else (the form, toasts) points here instead of repeating it.
 */
export interface ReviewState {
  readonly badge: 'Pending sync' | 'Sent' | 'Not sent' | '';
  readonly tone: 'pending' | 'sent' | 'failed' | 'none';
  readonly detail: string;
}

export function reviewState(item: Pick<ReviewItem, 'sync' | 'change' | 'error' | 'mine'>, online: boolean): ReviewState {
  const what = item.change === 'delete' ? 'deletion' : item.change === 'edit' ? 'change' : 'review';
  switch (item.sync) {
    case 'pending':
      return {
        badge: 'Pending sync',
        tone: 'pending',
        detail: online
          ? `Saved on this device; the ${what} is being sent.`
          : `Saved on this device; the ${what} will be sent when you're back online.`,
      };
    case 'failed':
      return {
        badge: 'Not sent',
        tone: 'failed',
        detail: item.error || `The server did not accept this ${what}.`,
      };
    default:
      // Only the person's own reviews say so: theirs is the delivery they wait for.
      return item.mine ? { badge: 'Sent', tone: 'sent', detail: '' } : { badge: '', tone: 'none', detail: '' };
  }
}
