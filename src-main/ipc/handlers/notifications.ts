import type { Handler } from '../types';

export const listNotifications: Handler<'notifications.list'> = async (input, { notifications }) =>
  notifications.list(input.limit);
