// The sandboxed preload: no npm packages load here (sandbox: true), so it imports only the
// dependency-free channel names and forwards calls. It exposes one function per contract
// channel (never a raw invoke) and `on(event, listener)` returning an unsubscribe function.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  CHANNEL_NAMES,
  ELECTRON_CALL_PREFIX as CALL_PREFIX,
  ELECTRON_EVENT_PREFIX as EVENT_PREFIX,
  EVENT_NAME_LIST,
} from '../../src-shared/ipc/names';

const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAMES) {
  api[channel] = (input: unknown) => ipcRenderer.invoke(`${CALL_PREFIX}${channel}`, input);
}
const events = new Set<string>(EVENT_NAME_LIST);
api.on = (event: string, listener: (payload: unknown) => void): (() => void) => {
  if (!events.has(event)) throw new Error(`unknown event "${event}"`);
  // The renderer never sees the IpcRendererEvent (it carries `sender`, the ipcRenderer itself).
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(`${EVENT_PREFIX}${event}`, wrapped);
  return () => {
    ipcRenderer.removeListener(`${EVENT_PREFIX}${event}`, wrapped);
  };
};

contextBridge.exposeInMainWorld('fleetdeck', api);
