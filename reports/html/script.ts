// The report's script, inline: it reads the per-step data embedded as JSON and draws, for the
// chosen step of each counterexample, every mount tree as SVG, with the mounts the step added,
// changed or freed and the objects the violations name highlighted. Steps move with ←/→,
// Home/End, the buttons, the slider, or a click on a trace line. Every string from the data goes
// in through textContent, never as markup. (Plain ES2017, no template literals, so it can live in
// this TypeScript string.)
export const SCRIPT = `
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 210, H = 50, PAD = 8, CHARS = 31;
  var data = JSON.parse(document.getElementById('mntns-data').textContent);
  var viewers = [];
  var active = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, String(attributes[name])); });
    return node;
  }
  function clip(text) { return text.length > CHARS ? text.slice(0, CHARS - 1) + '\\u2026' : text; }
  var MARK = { added: '+ ', changed: '~ ', removed: '\\u2212 ', same: '' };

  function drawGroup(group) {
    var figure = el('figure', 'group kind-' + group.kind + (group.violating ? ' violating' : ''));
    figure.setAttribute('data-kind', group.kind);
    if (group.ns !== null) figure.setAttribute('data-ns', String(group.ns));
    figure.appendChild(el('figcaption', '', (group.violating ? '\\u26a0 ' : '') + group.title));
    var picture = svg('svg', { width: group.width + 2 * PAD, height: group.height + 2 * PAD, role: 'img' });
    picture.setAttribute('aria-label', group.title);
    var byId = {};
    group.nodes.forEach(function (node) { byId[node.id] = node; });
    group.nodes.forEach(function (node) {
      var parent = node.parent === null ? undefined : byId[node.parent];
      if (parent === undefined) return;
      var x1 = PAD + parent.x + W, y1 = PAD + parent.y + H / 2, x2 = PAD + node.x, y2 = PAD + node.y + H / 2, middle = (x1 + x2) / 2;
      picture.appendChild(svg('path', { class: 'edge', d: 'M' + x1 + ',' + y1 + ' H' + middle + ' V' + y2 + ' H' + x2 }));
    });
    group.nodes.forEach(function (node) {
      var classes = 'mount change-' + node.change + (node.violating ? ' violating' : '');
      var box = svg('g', { class: classes, transform: 'translate(' + (PAD + node.x) + ',' + (PAD + node.y) + ')', 'data-mount-id': node.id, 'data-change': node.change });
      var lines = [
        (node.violating ? '! ' : '') + MARK[node.change] + node.target,
        'id ' + node.id + ' \\u00b7 ' + node.fstype + ' ' + node.source,
        node.propagation + ' \\u00b7 ' + node.options + ' \\u00b7 count ' + node.count,
      ];
      var title = svg('title', {});
      title.textContent = 'mount ' + node.id + ' (' + node.change + ')\\n' + [node.target, node.source, node.fstype, node.propagation, node.options, 'mnt_count ' + node.count].join('  ');
      box.appendChild(title);
      box.appendChild(svg('rect', { width: W, height: H, rx: 4 }));
      lines.forEach(function (line, index) {
        var text = svg('text', { x: 7, y: 15 + index * 14, class: index === 0 ? 'target' : index === 2 ? 'dim' : '' });
        text.textContent = clip(line);
        box.appendChild(text);
      });
      picture.appendChild(box);
    });
    figure.appendChild(picture);
    return figure;
  }

  function list(target, items, empty) {
    target.textContent = '';
    if (items.length === 0) { target.appendChild(el('li', 'none', empty)); return; }
    items.forEach(function (item) { target.appendChild(el('li', '', item)); });
  }

  function show(viewer, number) {
    var steps = viewer.steps;
    var index = Math.max(0, Math.min(steps.length - 1, number));
    var view = steps[index];
    viewer.current = index;
    viewer.root.setAttribute('data-step', String(index));
    viewer.slider.value = String(index);
    viewer.label.textContent = index === 0 ? 'step 0 of ' + (steps.length - 1) + ': boot state' : 'step ' + index + ' of ' + (steps.length - 1);
    viewer.call.textContent = index === 0 ? 'the boot state, before the first event' : view.call + ' ' + view.result + (view.recorded === null ? '' : '   (recorded: ' + view.recorded + ')');
    list(viewer.violations, view.violations.map(function (violation) { return violation.invariant + ': ' + violation.message + ' @ ' + violation.objects.join(', '); }), 'every invariant held after this step');
    list(viewer.changes, view.changes, index === 0 ? 'the boot state' : 'nothing changed');
    list(viewer.holders, view.holders, 'the violations name no objects');
    viewer.trees.textContent = '';
    view.groups.forEach(function (group) { viewer.trees.appendChild(drawGroup(group)); });
    viewer.items.forEach(function (item, itemIndex) { item.classList.toggle('current', itemIndex === index); });
  }

  Array.prototype.forEach.call(document.querySelectorAll('.counterexample'), function (root, position) {
    var steps = data.counterexamples[Number(root.getAttribute('data-index'))];
    var viewer = {
      root: root, steps: steps, current: 0,
      slider: root.querySelector('.slider'), label: root.querySelector('.step-label'), call: root.querySelector('.step-call'),
      violations: root.querySelector('.step-violations'), changes: root.querySelector('.step-changes'), holders: root.querySelector('.step-holders'),
      trees: root.querySelector('.trees'), items: Array.prototype.slice.call(root.querySelectorAll('.trace li')),
    };
    viewers.push(viewer);
    var focus = function () { active = position; };
    root.addEventListener('focusin', focus);
    root.addEventListener('pointerdown', focus);
    viewer.slider.addEventListener('input', function () { show(viewer, Number(viewer.slider.value)); });
    Array.prototype.forEach.call(root.querySelectorAll('[data-go]'), function (button) {
      button.addEventListener('click', function () {
        var go = button.getAttribute('data-go');
        show(viewer, go === 'first' ? 0 : go === 'last' ? steps.length - 1 : viewer.current + (go === 'next' ? 1 : -1));
      });
    });
    viewer.items.forEach(function (item, index) { item.addEventListener('click', function () { show(viewer, index); }); });
    show(viewer, steps.length - 1);
  });

  document.addEventListener('keydown', function (event) {
    var viewer = viewers[active];
    if (viewer === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof HTMLInputElement) return; // the slider moves itself and fires input
    var moves = { ArrowLeft: viewer.current - 1, ArrowRight: viewer.current + 1, Home: 0, End: viewer.steps.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    show(viewer, moves[event.key]);
  });
})();
`;
