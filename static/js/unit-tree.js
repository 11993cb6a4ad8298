// Tier tree: checking a commune in a three-tier forum checks its district too (the server
// adds the district anyway); unchecking a district unchecks its communes.
const tree = document.querySelector('.unit-tree');
if (tree && tree.dataset.tierDepth === '3') {
  tree.addEventListener('change', (event) => {
    const box = event.target;
    if (box.matches('[data-commune]') && box.checked) {
      const district = tree.querySelector(`[data-district][value="${box.dataset.parent}"]`);
      if (district) district.checked = true;
    }
    if (box.matches('[data-district]') && !box.checked) {
      tree.querySelectorAll(`[data-commune][data-parent="${box.value}"]`).forEach((c) => { c.checked = false; });
    }
  });
}
