// The door of one event, made to survive a dropped Wi-Fi. The list of the event's confirmed parties (ticket, name,
// party size, since when in) is kept in this browser's localStorage until midnight; every scan, typed code or tap
// on a name is applied to it at once and queued with a random nonce; the queue is uploaded whenever the server can
// be reached, and the server applies each nonce once, so a scan uploaded twice counts once.
const root = document.getElementById("check-in");

if (root) {
  const texts = JSON.parse(document.getElementById("check-in-texts").textContent);
  const eventId = root.dataset.event;
  const listKey = `rk-checkin:${eventId}:list`;
  const queueKey = `rk-checkin:${eventId}:queue`;
  const ALPHABET = /^[0-9A-HJKMNP-TV-Z]+$/;
  const SYNC_EVERY_MS = 15000;

  const $ = (id) => document.getElementById(id);
  const network = $("check-in-network");
  const pending = $("check-in-pending");
  const message = $("check-in-message");
  const results = $("name-results");
  const nameInput = $("name-input");

  let online = navigator.onLine;
  let uploading = false;
  let uploads = 0; // a list fetched before the last upload landed may lack its scans: it is dropped
  let cleared = false;
  let loggedOut = false; // the server answers, but sends the phone to the log-in page

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString(document.documentElement.lang || "de", {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23", // 15:10 in English too, as every other page says it
      timeZone: "Europe/Berlin",
    });
  }

  // Lists of earlier days (of any event) are forgotten first thing.
  function forgetOldLists() {
    const now = Date.now();
    for (let index = localStorage.length - 1; index >= 0; index -= 1) {
      const key = localStorage.key(index);
      if (key && key.startsWith("rk-checkin:") && key.endsWith(":list")) {
        let expires = 0;
        try {
          expires = JSON.parse(localStorage.getItem(key)).expires || 0;
        } catch (error) {
          expires = 0;
        }
        if (expires <= now) {
          localStorage.removeItem(key);
        }
      }
    }
  }

  function loadList() {
    try {
      return JSON.parse(localStorage.getItem(listKey));
    } catch (error) {
      return null;
    }
  }

  function loadQueue() {
    try {
      return JSON.parse(localStorage.getItem(queueKey)) || [];
    } catch (error) {
      return [];
    }
  }

  forgetOldLists();
  let list = loadList();
  let queue = loadQueue();

  function save() {
    if (list) {
      localStorage.setItem(listKey, JSON.stringify(list));
    }
    localStorage.setItem(queueKey, JSON.stringify(queue));
  }

  function nonce() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function normalized(typed) {
    const cleaned = typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
    return (cleaned.length === 8 || cleaned.length === 32) && ALPHABET.test(cleaned) ? cleaned : null;
  }

  function find(ticket) {
    if (!list) {
      return [];
    }
    return list.entries.filter((entry) => (ticket.length === 32 ? entry.s === ticket : entry.s.startsWith(ticket)));
  }

  // Queued scans are applied on top of whatever the server last said, so the list never forgets them.
  function applyQueued() {
    if (!list) {
      return;
    }
    for (const scan of queue) {
      const entry = list.entries.find((candidate) => candidate.s === scan.ticket);
      if (entry) {
        entry.t = scan.action === "in" ? entry.t || scan.at : null;
      }
    }
  }

  function counts() {
    const figures = { present: 0, expected: 0, walk_ins: 0 };
    for (const entry of list ? list.entries : []) {
      if (entry.t) figures.present += entry.p;
      if (entry.w) figures.walk_ins += entry.p;
      else figures.expected += entry.p;
    }
    return figures;
  }

  function showState() {
    network.dataset.state = online ? "online" : "offline";
    network.textContent = online ? texts.online : loggedOut ? texts.logged_out : texts.offline;
    pending.textContent =
      queue.length === 0 ? "" : queue.length === 1 ? texts.pending_one : format(texts.pending_many, { n: queue.length });
    if (list) {
      const figures = counts();
      $("count-present").textContent = figures.present;
      $("count-expected").textContent = figures.expected;
      $("count-walk-ins").textContent = figures.walk_ins;
    }
  }

  function say(text, tone, undoEntry) {
    message.replaceChildren();
    message.dataset.tone = tone || "info";
    const line = document.createElement("p");
    line.textContent = text;
    message.append(line);
    if (undoEntry) {
      message.append(actionButton(texts.undo, () => undo(undoEntry), "kern-btn--secondary"));
    }
  }

  function describe(entry) {
    if (entry.p === 2) return `${entry.n} (${texts.companions_one})`;
    if (entry.p > 2) return `${entry.n} (${format(texts.companions_many, { n: entry.p - 1 })})`;
    return entry.n;
  }

  function enqueue(entry, action) {
    const at = new Date().toISOString();
    queue.push({ nonce: nonce(), ticket: entry.s, action, at });
    entry.t = action === "in" ? at : null;
    save();
    showState();
    renderResults();
    upload();
  }

  function checkIn(entry) {
    if (entry.t) {
      say(format(texts.already, { name: describe(entry), time: clock(entry.t) }), "warning");
      return;
    }
    enqueue(entry, "in");
    say(format(texts.checked_in, { name: describe(entry) }), "success", entry);
  }

  function undo(entry) {
    if (!entry.t) {
      return;
    }
    enqueue(entry, "undo");
    say(format(texts.undone, { name: describe(entry) }), "info");
  }

  async function scanned(typed) {
    if (!list) {
      say(texts.not_loaded, "warning");
      return;
    }
    const ticket = normalized(typed);
    let matches = ticket ? find(ticket) : [];
    if (ticket && matches.length === 0 && online) {
      await refresh(); // registered after the list was loaded, perhaps
      matches = find(ticket);
    }
    if (matches.length > 1) {
      say(texts.ambiguous, "warning");
    } else if (matches.length === 0) {
      say(texts.unknown, "warning");
    } else {
      checkIn(matches[0]);
    }
  }

  function actionButton(label, handler, variant) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `kern-btn ${variant}`;
    const span = document.createElement("span");
    span.className = "kern-label";
    span.textContent = label;
    button.append(span);
    button.addEventListener("click", handler);
    return button;
  }

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function renderResults() {
    const query = folded(nameInput.value.trim());
    results.replaceChildren();
    if (!query || !list) {
      return;
    }
    const words = query.split(/\s+/);
    const matches = list.entries.filter((entry) => words.every((word) => folded(entry.n).includes(word)));
    if (matches.length === 0) {
      const item = document.createElement("li");
      item.textContent = texts.no_match;
      results.append(item);
      return;
    }
    for (const entry of matches.slice(0, 20)) {
      const item = document.createElement("li");
      const label = document.createElement("span");
      const facts = [describe(entry)];
      if (entry.w) facts.push(texts.walk_in);
      if (entry.t) facts.push(format(texts.in_since, { time: clock(entry.t) }));
      label.textContent = facts.join(" · ");
      item.append(label);
      item.append(
        entry.t
          ? actionButton(texts.undo, () => undo(entry), "kern-btn--secondary")
          : actionButton(texts.check_in, () => checkIn(entry), "kern-btn--primary"),
      );
      results.append(item);
    }
    if (matches.length > 20) {
      const item = document.createElement("li");
      item.textContent = texts.more;
      results.append(item);
    }
  }

  async function refresh() {
    if (cleared) {
      return;
    }
    const started = uploads;
    try {
      loggedOut = false;
      const response = await fetch(root.dataset.listUrl, {
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual",
      });
      loggedOut = response.type === "opaqueredirect";
      if (!response.ok) throw new Error(String(response.status));
      const fresh = await response.json();
      if (started !== uploads) return;
      list = fresh;
      applyQueued();
      online = navigator.onLine; // an answer to a request sent before the network went does not bring it back
      save();
    } catch (error) {
      online = false;
    }
    showState();
    renderResults();
  }

  async function upload() {
    if (uploading || queue.length === 0) {
      return;
    }
    uploading = true;
    const batch = queue.slice(0, 500);
    try {
      loggedOut = false;
      const response = await fetch(root.dataset.scansUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
        body: JSON.stringify({ scans: batch }),
        redirect: "manual",
      });
      loggedOut = response.type === "opaqueredirect";
      if (!response.ok) throw new Error(String(response.status));
      await response.json();
      const sent = new Set(batch.map((scan) => scan.nonce));
      queue = queue.filter((scan) => !sent.has(scan.nonce));
      uploads += 1;
      online = navigator.onLine;
      save();
      uploading = false;
      if (queue.length > 0) {
        upload();
      } else {
        refresh(); // the other phones' scans, and the server's word on ours
      }
    } catch (error) {
      online = false;
      uploading = false;
    }
    showState();
  }

  // The camera: qr-scanner, loaded only when asked for (it uses the BarcodeDetector where the browser has one).
  let scanner = null;
  let lastScan = { data: "", at: 0 };
  const cameraButton = $("camera-toggle");
  const video = $("camera-view");

  async function toggleCamera() {
    const label = cameraButton.querySelector(".kern-label");
    if (scanner) {
      scanner.stop();
      scanner.destroy();
      scanner = null;
      video.hidden = true;
      label.textContent = texts.camera_start;
      return;
    }
    try {
      const { default: QrScanner } = await import(root.dataset.scanner);
      video.hidden = false;
      scanner = new QrScanner(
        video,
        (result) => {
          const now = Date.now();
          if (result.data === lastScan.data && now - lastScan.at < 3000) return; // the same code still in view
          lastScan = { data: result.data, at: now };
          scanned(result.data);
        },
        { returnDetailedScanResult: true, preferredCamera: "environment", maxScansPerSecond: 5 },
      );
      await scanner.start();
      label.textContent = texts.camera_stop;
    } catch (error) {
      if (scanner) scanner.destroy();
      scanner = null;
      video.hidden = true;
      say(texts.camera_failed, "warning");
    }
  }

  for (const section of root.querySelectorAll("[data-needs-script]")) {
    section.hidden = false;
  }
  cameraButton.addEventListener("click", toggleCamera);
  $("code-form").addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const input = $("code-input");
    scanned(input.value);
    input.value = "";
    input.focus();
  });
  nameInput.addEventListener("input", renderResults);
  $("clear-device").addEventListener("click", () => {
    localStorage.removeItem(listKey);
    if (queue.length === 0) localStorage.removeItem(queueKey); // scans not yet uploaded are kept until they are
    list = null;
    cleared = true; // until the page is opened again
    renderResults();
    say(texts.cleared, "info");
  });

  window.addEventListener("online", () => {
    online = true;
    upload();
    refresh();
  });
  window.addEventListener("offline", () => {
    online = false;
    showState();
  });
  setInterval(() => {
    forgetOldLists();
    if (list && list.expires <= Date.now()) list = null;
    if (queue.length > 0) upload();
    else refresh();
  }, SYNC_EVERY_MS);

  applyQueued();
  showState();
  refresh().then(upload);
}
