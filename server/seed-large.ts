/**
 * `npm run seed:large`: writes a large, deterministic data set (10,000 restaurants, 100,000
 * reviews) into its own database file, for performance tests. The same seed always produces
 * the same file content (timestamps included), so measurements are comparable between runs.
 *
 *   DB_FILE=data/large.sqlite npm run seed:large      (DB_FILE defaults to data/large.sqlite)
 *
 * The target file is replaced. To protect real data, a file that exists and was not made by
 * this script (it stamps PRAGMA application_id) is refused.
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { WEEKDAYS } from '../src/shared/api.ts';
import { ensureDbFolder } from './config.ts';
import { numberUnsequencedRows } from './storage/change-sequence.ts';
import { openDatabase } from './storage/database.ts';
import { seededRandom } from './seeded-random.ts';

export const LARGE_SEED_APPLICATION_ID = 0x52_52_4c_47; // "RRLG"

export interface LargeSeedOptions {
  restaurants?: number;
  reviews?: number;
  seed?: number;
}


const ADJECTIVES = [
  'Golden', 'Little', 'Blue', 'Rustic', 'Hidden', 'Corner', 'Old', 'Bright', 'Smoky', 'Salty',
  'Green', 'Lucky', 'Twin', 'Royal', 'Humble', 'Copper',
];
const NOUNS = [
  'Spoon', 'Lantern', 'Table', 'Garden', 'Harbor', 'Oven', 'Kettle', 'Fig', 'Anchor', 'Olive',
  'Pepper', 'Orchard', 'Bridge', 'Barrel', 'Hearth', 'Market',
];
const KINDS = [
  'Kitchen', 'Bistro', 'Diner', 'Cafe', 'Grill', 'House', 'Eatery', 'Bar', 'Canteen',
  'Noodle Shop',
];
const NEIGHBORHOODS = [
  'Manhattan', 'Brooklyn', 'Queens', 'Bronx', 'Staten Island', 'Harlem', 'Astoria', 'Williamsburg',
];
const CUISINES = [
  'Asian', 'Pizza', 'American', 'Mexican', 'Italian', 'Indian', 'Thai', 'Greek', 'Ethiopian',
  'French',
];
const STREETS = [
  'Broadway', 'Main St', 'Atlantic Ave', 'Court St', 'Bedford Ave', 'Steinway St', 'Grand St',
  'Lenox Ave',
];
const HOURS = [
  '11:00 am - 10:00 pm', '5:30 pm - 11:00 pm', '8:00 am - 4:00 pm', '12:00 pm - 2:00 am', 'Closed',
];
const AUTHORS = [
  'Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kofi', 'Lena', 'Mo',
  'Nia', 'Omar', 'Pia',
];
const OPENINGS = [
  'Great find.', 'Solid spot.', 'Mixed feelings.', 'Will be back.', 'Not for me.',
  'Pleasant surprise.',
];
const DETAILS = [
  'The service was quick and friendly.', 'Portions were generous.', 'It was too loud to talk.',
  'The dessert stole the show.', 'Prices are fair for the quality.',
  'We waited a long time for a table.', 'The specials change every week.',
];

const SEED_EPOCH_MS = 1_504_095_563_444;

export function generateLargeDataSet(
  file: string,
  options: LargeSeedOptions = {},
): { restaurants: number; reviews: number } {
  const restaurantCount = options.restaurants ?? 10_000;
  const reviewCount = options.reviews ?? 100_000;
  const random = seededRandom(options.seed ?? 20_170_830);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');

  replaceFile(file);
  const db = openDatabase(file, { seed: false });
  try {
    db.pragma(`application_id = ${LARGE_SEED_APPLICATION_ID}`);
    const insertRestaurant = db.prepare(`
      INSERT INTO restaurants (id, name, neighborhood, photograph, address, lat, lng, cuisine_type,
        operating_hours, is_favorite, created_at, updated_at, created_iso, updated_iso)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`);
    const insertReview = db.prepare(`
      INSERT INTO reviews (id, restaurant_id, name, rating, comments, client_id, edit_token_hash,
        created_at, updated_at, created_iso, updated_iso)
      VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`);

    db.transaction(() => {
      for (let id = 1; id <= restaurantCount; id++) {
        const createdAt = SEED_EPOCH_MS + id * 1_000;
        // A fifth were touched later (a favorite toggled): ISO updatedAt, like the real server.
        const touched = random() < 0.2;
        const hours = Object.fromEntries(WEEKDAYS.map((day) => [day, pick(HOURS)]));
        insertRestaurant.run(
          id,
          `${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(KINDS)}`,
          pick(NEIGHBORHOODS),
          String(((id - 1) % 10) + 1), // the classic data set has photographs 1–10
          `${1 + Math.floor(random() * 999)} ${pick(STREETS)}, New York, NY`,
          40.55 + random() * 0.35,
          -74.1 + random() * 0.4,
          pick(CUISINES),
          JSON.stringify(hours),
          touched && random() < 0.5 ? 1 : 0,
          createdAt,
          touched ? createdAt + Math.floor(random() * 200_000_000_000) : createdAt,
          touched ? 1 : 0,
        );
      }
      for (let id = 1; id <= reviewCount; id++) {
        const createdAt = SEED_EPOCH_MS + 60_000 + id * 1_000;
        // Half were posted by offline-capable clients and carry a client_id; those are ISO-dated.
        const fromClient = random() < 0.5;
        const clientId = fromClient
          ? `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
          : null;
        const rating = Math.min(5, 1 + Math.floor(random() * 5.6));
        insertReview.run(
          id,
          1 + Math.floor(random() * restaurantCount),
          pick(AUTHORS),
          rating,
          `${pick(OPENINGS)} ${pick(DETAILS)} ${pick(DETAILS)}`,
          clientId,
          createdAt,
          createdAt,
          fromClient ? 1 : 0,
          fromClient ? 1 : 0,
        );
      }
    }).immediate();
    // Numbered for the change feed now, rather than by the server's first start.
    numberUnsequencedRows(db);
    db.pragma('optimize');
    return { restaurants: restaurantCount, reviews: reviewCount };
  } finally {
    db.close();
  }
}

function replaceFile(file: string): void {
  if (existsSync(file)) {
    const existing = new Database(file, { readonly: true, fileMustExist: true });
    const applicationId = existing.pragma('application_id', { simple: true });
    existing.close();
    if (applicationId !== LARGE_SEED_APPLICATION_ID) {
      throw new Error(
        `${file} exists and was not made by seed:large; refusing to replace it. ` +
          'Delete it or set DB_FILE to another path.',
      );
    }
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  ensureDbFolder(file);
}

// Run as a script (tsx server/seed-large.ts), not when imported by a test.
if (import.meta.url === new URL(`file://${resolve(process.argv[1] ?? '')}`).href) {
  const file = resolve(process.env['DB_FILE']?.trim() || 'data/large.sqlite');
  const started = performance.now();
  try {
    const counts = generateLargeDataSet(file);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const what = `${counts.restaurants} restaurants and ${counts.reviews} reviews`;
    process.stdout.write(`Wrote ${what} to ${file} in ${seconds} s\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
