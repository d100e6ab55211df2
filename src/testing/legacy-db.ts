/**
 * The database exactly as the previous release (version 1) created it, filled with its records.
 * Raw IndexedDB with no imports and no closures, so the same function runs in Karma and, handed
 * to `page.evaluate`, inside an e2e page before the new app opens the database.
 */
export interface Version1Contents {
  dbName: string;
  reviews: unknown[];
  favorites: unknown[];
  own: unknown[];
}

export async function writeVersion1Db({ dbName, reviews, favorites, own }: Version1Contents): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(dbName, 1);
    open.onupgradeneeded = () => {
      const v1 = open.result;
      v1.createObjectStore('restaurants', { keyPath: 'id' });
      v1.createObjectStore('reviews', { keyPath: 'id' }).createIndex('restaurant_id', 'restaurant_id');
      v1.createObjectStore('offline-favorites', { keyPath: 'restaurant_id' });
      v1.createObjectStore('offline-reviews', { keyPath: 'local_id', autoIncrement: true }).createIndex('restaurant_id', 'restaurant_id');
      v1.createObjectStore('own-reviews', { keyPath: 'review_id' });
      v1.createObjectStore('meta', { keyPath: 'key' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction(['offline-reviews', 'offline-favorites', 'own-reviews'], 'readwrite');
  for (const record of reviews) tx.objectStore('offline-reviews').add(record);
  for (const record of favorites) tx.objectStore('offline-favorites').add(record);
  for (const record of own) tx.objectStore('own-reviews').add(record);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
