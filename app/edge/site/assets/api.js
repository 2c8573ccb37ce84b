// Soundstack Widget API: SC.Widget(iframe) drives an embedded /player/ over postMessage.
// Messages are accepted only from that iframe's window and origin; commands go only there.
(function () {
  "use strict";
  var Events = {
    READY: "ready", PLAY: "play", PAUSE: "pause", FINISH: "finish", SEEK: "seek",
    PLAY_PROGRESS: "playProgress", LOAD_PROGRESS: "loadProgress", ERROR: "error",
  };

  function Widget(iframe) {
    if (!(this instanceof Widget)) return new Widget(iframe);
    if (typeof iframe === "string") iframe = document.getElementById(iframe);
    if (!iframe || !iframe.src) throw new Error("SC.Widget needs an iframe element or its id");
    this.iframe = iframe;
    this.origin = new URL(iframe.src, window.location.href).origin;
    this.listeners = {};
    this.callbacks = {};
    this.ready = false;
    this.queue = [];
    var self = this;
    window.addEventListener("message", function (e) { self.receive(e); });
  }

  Widget.prototype.send = function (method, value) {
    var message = JSON.stringify({ method: method, value: value });
    if (!this.ready) { this.queue.push(message); return this; } // until the player announced itself
    this.iframe.contentWindow.postMessage(message, this.origin);
    return this;
  };

  Widget.prototype.flush = function () {
    var self = this, waiting = this.queue;
    this.queue = [];
    Object.keys(this.listeners).forEach(function (event) {
      self.iframe.contentWindow.postMessage(JSON.stringify({ method: "addEventListener", value: event }), self.origin);
    });
    waiting.forEach(function (message) {
      if (JSON.parse(message).method !== "addEventListener") self.iframe.contentWindow.postMessage(message, self.origin);
    });
  };

  Widget.prototype.receive = function (e) {
    if (e.origin !== this.origin || e.source !== this.iframe.contentWindow) return;
    var msg;
    try { msg = typeof e.data === "string" ? JSON.parse(e.data) : e.data; } catch (err) { return; }
    if (!msg || typeof msg.method !== "string") return;
    var waiting = this.callbacks[msg.method];
    if (waiting && waiting.length) { waiting.shift()(msg.value); return; }
    if (msg.method === Events.READY) {
      if (this.ready) return; // announced once per load
      // after load(): only the new player's announcement (no value), not a late reply of the old
      if (this.loading && msg.value !== null) return;
      this.loading = false;
      this.ready = true;
      this.flush();
    }
    (this.listeners[msg.method] || []).slice().forEach(function (fn) { fn(msg.value); });
  };

  Widget.prototype.bind = function (event, callback) {
    (this.listeners[event] = this.listeners[event] || []).push(callback);
    if (event === Events.READY && this.ready) setTimeout(function () { callback(null); }, 0);
    return this.send("addEventListener", event);
  };

  Widget.prototype.unbind = function (event) {
    delete this.listeners[event];
    return this.send("removeEventListener", event);
  };

  ["play", "pause", "toggle", "next", "prev"].forEach(function (name) {
    Widget.prototype[name] = function () { return this.send(name); };
  });
  Widget.prototype.seekTo = function (ms) { return this.send("seekTo", ms); };
  Widget.prototype.setVolume = function (volume) { return this.send("setVolume", volume); };
  Widget.prototype.skip = function (index) { return this.send("skip", index); };
  Widget.prototype.load = function (url, options) {
    options = options || {};
    var callback = options.callback, self = this, rest = {};
    Object.keys(options).forEach(function (k) { if (k !== "callback") rest[k] = options[k]; });
    if (callback) {
      var once = function () { self.listeners[Events.READY] = (self.listeners[Events.READY] || []).filter(function (f) { return f !== once; }); callback(); };
      (this.listeners[Events.READY] = this.listeners[Events.READY] || []).push(once);
    }
    this.send("load", { url: url, options: rest });
    this.ready = false; // the player reloads, announces itself again, and gets our bindings then
    this.loading = true;
    return this;
  };
  ["getVolume", "getDuration", "getPosition", "getCurrentSound", "getSounds",
   "getCurrentSoundIndex", "isPaused"].forEach(function (name) {
    Widget.prototype[name] = function (callback) {
      (this.callbacks[name] = this.callbacks[name] || []).push(callback);
      return this.send(name);
    };
  });

  Widget.Events = Events;
  window.SC = window.SC || {};
  window.SC.Widget = Widget;
})();
