// The dashboard's CSV downloads. The CSV endpoints need a bearer token, which a plain link does not send: an analyst
// signs in with a token (merit token issue), kept in this tab's sessionStorage only, never in a URL; a click on a
// table fetches it with the Authorization header and hands it to the browser as a file. The messages are the
// page's own (data-* attributes of #download-error), so that they come from the resource files.
'use strict';
(() => {
  const key = 'merit.dashboard.token';
  const input = document.getElementById('token');
  const signIn = document.getElementById('sign-in');
  const signedIn = document.getElementById('signed-in');
  const error = document.getElementById('download-error');
  if (!input || !signIn || !signedIn || !error) {
    return;
  }

  const token = () => sessionStorage.getItem(key);
  const show = () => {
    signIn.hidden = token() !== null;
    signedIn.hidden = token() === null;
  };
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
  };
  const remember = () => {
    const value = input.value.trim();
    input.value = '';
    if (value !== '') {
      sessionStorage.setItem(key, value);
      error.hidden = true;
    }
    show();
  };

  document.getElementById('sign-in-button').addEventListener('click', remember);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      remember();
    }
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(key);
    show();
  });

  for (const link of document.querySelectorAll('a[data-csv]')) {
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      const bearer = token();
      if (bearer === null) {
        fail(error.dataset.signIn);
        input.focus();
        return;
      }

      const response = await fetch(link.href, { headers: { Authorization: 'Bearer ' + bearer }, credentials: 'omit', cache: 'no-store' });
      if (!response.ok) {
        if (response.status === 401) {
          sessionStorage.removeItem(key);
          show();
          fail(error.dataset.unauthorized);
        } else {
          fail(response.status === 403 ? error.dataset.forbidden : error.dataset.failed.replace('{0}', String(response.status)));
        }
        return;
      }

      error.hidden = true;
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement('a');
      save.href = url;
      save.download = link.getAttribute('download');
      document.body.append(save);
      save.click();
      save.remove();
      // The browser has taken the file once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    });
  }

  show();
})();
