// Pages that follow a background job (a meeting pack rendering, a large import)
// update their progress in place instead of reloading every few seconds: the
// status line is a polite live region, so screen readers hear the new figure,
// and nothing moves under the reader's focus (WCAG 2.2.1). When the job ends the
// page loads once to show the result. Without JavaScript the page keeps its
// "Refresh" link.
const INTERVAL_MS = 3000;

async function fetchProgress() {
  const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) {
    throw new Error(`status ${response.status}`);
  }
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  return doc.querySelector("[data-progress]");
}

export function followProgress(root = document) {
  const region = root.querySelector("[data-progress]");
  if (!region) {
    return;
  }
  let delay = INTERVAL_MS;
  const tick = async () => {
    let next;
    try {
      next = await fetchProgress();
    } catch {
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(tick, delay);
      return;
    }
    if (!next) {
      window.location.reload();
      return;
    }
    delay = INTERVAL_MS;
    const text = region.querySelector("[data-progress-text]");
    const nextText = next.querySelector("[data-progress-text]");
    if (text && nextText && text.textContent !== nextText.textContent) {
      text.textContent = nextText.textContent;
    }
    const bar = region.querySelector("progress");
    const nextBar = next.querySelector("progress");
    if (bar && nextBar) {
      bar.value = nextBar.value;
      bar.textContent = nextBar.textContent;
    }
    window.setTimeout(tick, delay);
  };
  window.setTimeout(tick, delay);
}
