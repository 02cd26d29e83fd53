// Shows the partner's occupation fields only when "Job für Partner/in" is ticked. Without JavaScript they stay visible.
(function () {
  "use strict";
  var partnerBox = document.querySelector('input[name="interests"][value="partner_job"]');
  var partnerFields = document.getElementById("partner-fields");
  if (!partnerBox || !partnerFields) {
    return;
  }
  function update() {
    partnerFields.hidden = !partnerBox.checked;
  }
  partnerBox.addEventListener("change", update);
  update();
})();
