// The alert page: bring the marked segment into view inside its box, not the page.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("segments");
  const marked = document.getElementById("segment");
  if (box && marked) {
    const offset = marked.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += offset - box.clientHeight / 3;
  }
});
