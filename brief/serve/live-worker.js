// brief serve: one live-reload connection for every tab of the preview in this browser.
// A SharedWorker started by live.js. Browsers open at most six HTTP/1.1 connections to a
// host, so one event stream per tab would leave the seventh tab unable to load; this worker
// holds the only stream and relays each event to every tab (a MessagePort per tab).
"use strict";

const EVENTS = "/__brief/events";
const NAMES = ["hello", "reload", "update", "css", "problems"];
const ports = new Set();
let source = null;
let retry = null;
// What a tab that opens now must know: the last "hello", or the problems shown while the
// site is broken.
let state = null;

function relay(message) {
  for (const port of ports) port.postMessage(message);
}

function connect() {
  retry = null;
  const events = new EventSource(EVENTS);
  source = events;
  for (const name of NAMES) {
    events.addEventListener(name, (event) => {
      const message = { name, data: event.data };
      if (name === "hello" || name === "problems") state = message;
      else if (state && state.name === "problems") state = { name: "hello", data: "" };
      relay(message);
    });
  }
  events.addEventListener("error", () => {
    // A dropped stream (the server stopped) reconnects by itself. A refused one (503: the
    // server serves as many browsers as it allows) is closed for good: try again later.
    if (events.readyState === EventSource.CLOSED && source === events) {
      source = null;
      retry = setTimeout(connect, 5000 + Math.random() * 5000);
    }
  });
}

self.addEventListener("connect", (event) => {
  const port = event.ports[0];
  ports.add(port);
  port.addEventListener("message", (message) => {
    if (message.data === "bye") ports.delete(port);
  });
  port.start();
  if (state) port.postMessage({ ...state, initial: true });
  if (!source && !retry) connect();
});
