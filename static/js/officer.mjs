// Conditional reveals for the update form, without the aria-expanded that
// govuk-frontend puts on radios (axe-core reports it as not allowed on a radio).
// Without JavaScript every revealed box simply stays visible.
for (const input of document.querySelectorAll("input[data-app-reveals]")) {
  const target = document.getElementById(input.dataset.appReveals);
  if (!target) continue;
  const sync = () => target.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
  for (const other of document.querySelectorAll(`input[name="${input.name}"]`)) {
    other.addEventListener("change", sync);
  }
  sync();
}
