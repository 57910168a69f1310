import type { App } from './app.ts';
import { answerApp } from './answer-app.ts';
import { bridgeApp } from './bridge-app.ts';
import { hangupApp } from './hangup-app.ts';
import { logApp } from './log-app.ts';
import { parkApp } from './park-app.ts';
import { playAndGetDigitsApp } from './play-and-get-digits-app.ts';
import { playbackApp } from './playback-app.ts';
import { preAnswerApp } from './pre-answer-app.ts';
import { readApp } from './read-app.ts';
import { ringReadyApp } from './ring-ready-app.ts';
import { exportApp, setApp } from './set-app.ts';
import { sleepApp } from './sleep-app.ts';
import { socketApp } from './socket-app.ts';
import { transferApp } from './transfer-app.ts';

export type { App, AppContext, AppRun } from './app.ts';

/** Every application the simulator implements, by name. */
export function defaultApps(): Map<string, App> {
  const apps = [
    answerApp,
    preAnswerApp,
    ringReadyApp,
    parkApp,
    playbackApp,
    playAndGetDigitsApp,
    readApp,
    sleepApp,
    setApp,
    exportApp,
    transferApp,
    bridgeApp,
    hangupApp,
    socketApp,
    logApp,
  ];
  return new Map(apps.map((a) => [a.name, a]));
}
