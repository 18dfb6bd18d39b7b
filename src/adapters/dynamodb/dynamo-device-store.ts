import { epochSeconds } from '../../domain/clock.ts';
import type { DeviceStore, RememberedDevice } from '../../domain/devices/remembered-devices.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { accountItems, keys } from './keys.ts';

type DeviceItem = Item & { device: RememberedDevice };

/** Remembered devices under their account's partition; DynamoDB forgets them after expiry. */
export class DynamoDeviceStore implements DeviceStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async save(device: RememberedDevice): Promise<void> {
    await this.#table.put({
      ...keys.device(device.accountId, device.deviceId),
      device,
      expiresAt: epochSeconds(new Date(device.expiresAt)),
    });
  }

  async find(accountId: string, deviceId: string): Promise<RememberedDevice | undefined> {
    return (await this.#table.get<DeviceItem>(keys.device(accountId, deviceId)))?.device;
  }

  async list(accountId: string): Promise<RememberedDevice[]> {
    const items = await this.#table.queryPartition<DeviceItem>(
      keys.account(accountId).pk,
      accountItems.device,
    );
    return items.map((item) => item.device);
  }

  async remove(accountId: string, deviceId: string): Promise<boolean> {
    try {
      await this.#table.delete(keys.device(accountId, deviceId));
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async removeAll(accountId: string): Promise<void> {
    const items = await this.#table.queryPartition<DeviceItem>(
      keys.account(accountId).pk,
      accountItems.device,
    );
    await this.#table.deleteAll(items.map((item) => ({ pk: item.pk, sk: item.sk })));
  }
}
