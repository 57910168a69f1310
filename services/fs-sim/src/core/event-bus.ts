import type { FsEvent } from './event.ts';

/** Something that receives events (an ESL connection). */
export interface EventListener {
  /** Cheap check before the event is even built. */
  wants(name: string, channelUuid: string | undefined): boolean;
  deliver(ev: FsEvent): void;
}

/** Fan-out of events to ESL connections; events are only built when someone wants them. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  /** Count of every event fired (wanted or not), for stats. */
  fired = 0;

  add(l: EventListener): void {
    this.listeners.add(l);
  }

  remove(l: EventListener): void {
    this.listeners.delete(l);
  }

  wants(name: string, channelUuid?: string): boolean {
    for (const l of this.listeners) if (l.wants(name, channelUuid)) return true;
    return false;
  }

  publish(ev: FsEvent): void {
    this.fired++;
    for (const l of this.listeners) if (l.wants(ev.name, ev.channelUuid ?? ev.jobOwner)) l.deliver(ev);
  }
}
