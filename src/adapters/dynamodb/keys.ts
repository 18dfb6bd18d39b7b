/**
 * Every item key of the single table is built here, by kind, so prefixes are never typed twice.
 * Values that could contain the separator are not used as keys unencoded.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  client: (clientId: string): ItemKey => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' }),
} as const;

/** Secondary index keys for listing items of one kind. */
export const listings = {
  clients: 'CLIENTS',
} as const;
