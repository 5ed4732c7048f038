import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

// Progress of a background job: poll its status and update the page (data-job-status-url).
for (const el of document.querySelectorAll("[data-job-status-url]")) {
  const bar = el.querySelector("progress");
  const text = el.querySelector("[data-job-message]");
  const tick = async () => {
    const response = await fetch(el.dataset.jobStatusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    if (bar) bar.value = job.percent;
    if (text) text.textContent = `${job.status_label}: ${job.percent}% ${job.message || ""}`;
    if (job.finished) {
      window.location.reload();
    } else {
      setTimeout(tick, 1000);
    }
  };
  setTimeout(tick, 1000);
}
