// The photo-ID pages' uploads, straight to the media store. The photo form works without this
// (a plain form post to the store, which sends the browser back); this only keeps the patient on
// our page when an upload fails (CID4011). The video needs it: the camera, the recorder, the upload.

const showProblem = (id) => {
  const box = document.getElementById(id);
  if (!box) return;
  box.hidden = false;
  box.focus();
};

/** Posts a form of the media store's fields and the file, as S3 takes it: the file last. */
const upload = async (url, fields, file, fileName) => {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append('file', file, fileName);
  // A redirect (the photo's way back to us) is the store's success: it is not followed here.
  const response = await fetch(url, { method: 'POST', body, redirect: 'manual', credentials: 'omit' });
  return response.type === 'opaqueredirect' || response.ok;
};

const photoForm = document.querySelector('form[data-photo-upload]');
if (photoForm) {
  photoForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = photoForm.querySelector('input[type="file"]');
    const file = input?.files?.[0];
    if (!file) {
      input?.focus();
      return;
    }
    const fields = {};
    for (const hidden of photoForm.querySelectorAll('input[type="hidden"]'))
      fields[hidden.name] = hidden.value;
    try {
      if (!(await upload(photoForm.action, fields, file, file.name))) throw new Error('refused');
      const back = new URL(fields.success_action_redirect, window.location.href);
      back.searchParams.set('key', fields.key);
      window.location.assign(back.toString());
    } catch {
      showProblem('upload-failed');
    }
  });
}

const videoForm = document.getElementById('video-form');
if (videoForm) {
  const uploads = JSON.parse(videoForm.dataset.uploads ?? '[]');
  const stillUpload = JSON.parse(videoForm.dataset.stillUpload ?? 'null');
  const recorderBox = document.getElementById('recorder');
  const preview = document.getElementById('preview');
  const status = document.getElementById('recording-status');
  const startCamera = document.getElementById('start-camera');
  const startRecording = document.getElementById('start-recording');
  const stopRecording = document.getElementById('stop-recording');
  const sendVideo = document.getElementById('send-video');
  const cannotRecord = () => {
    recorderBox.hidden = true;
    document.getElementById('cannot-record').hidden = false;
  };
  const supported = uploads.find(
    (candidate) => window.MediaRecorder && MediaRecorder.isTypeSupported(candidate.contentType),
  );
  let stream;
  let recording;
  let chosen;
  let stopTimer;
  let still;
  let stillTimer;

  // A still of the face from the recording, for the reviewer's automated face check: one frame a
  // second in, as a JPEG. Without one (a browser that cannot draw the frame) the video still goes.
  const takeStill = () => {
    if (!preview.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = preview.videoWidth;
    canvas.height = preview.videoHeight;
    canvas.getContext('2d')?.drawImage(preview, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (blob) still = blob;
      },
      'image/jpeg',
      0.9,
    );
  };

  if (!navigator.mediaDevices?.getUserMedia || !supported) cannotRecord();
  else recorderBox.hidden = false;

  startCamera?.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: true });
    } catch {
      cannotRecord();
      return;
    }
    preview.srcObject = stream;
    await preview.play().catch(() => undefined);
    startCamera.hidden = true;
    startRecording.hidden = false;
    status.textContent = 'The camera is on. Start recording when you are ready.';
  });

  startRecording?.addEventListener('click', () => {
    chosen = supported;
    const chunks = [];
    const recorder = new MediaRecorder(stream, { mimeType: chosen.contentType });
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    recorder.addEventListener('stop', () => {
      clearTimeout(stopTimer);
      recording = new Blob(chunks, { type: chosen.contentType });
      preview.srcObject = null;
      preview.src = URL.createObjectURL(recording);
      preview.muted = false;
      preview.controls = true;
      stopRecording.hidden = true;
      startRecording.hidden = false;
      startRecording.textContent = 'Record again';
      sendVideo.hidden = false;
      status.textContent = 'Your video is recorded. Watch it back, then use it or record again.';
    });
    recording = undefined;
    still = undefined;
    clearTimeout(stillTimer);
    stillTimer = setTimeout(takeStill, 1000);
    sendVideo.hidden = true;
    preview.controls = false;
    preview.srcObject = stream;
    recorder.start();
    // A few seconds is enough; no video is longer than 30.
    stopTimer = setTimeout(() => recorder.state === 'recording' && recorder.stop(), 30_000);
    stopRecording.onclick = () => recorder.stop();
    startRecording.hidden = true;
    stopRecording.hidden = false;
    status.textContent = 'Recording. Say, sign or write the 4 numbers, then stop recording.';
  });

  videoForm.addEventListener('submit', async (event) => {
    if (document.getElementById('video-key').value) return;
    event.preventDefault();
    if (!videoForm.querySelector('input[name="method"]:checked')) {
      status.textContent = 'Select how you will show the numbers.';
      videoForm.querySelector('input[name="method"]')?.focus();
      return;
    }
    if (!recording) return;
    sendVideo.disabled = true;
    status.textContent = 'Uploading your video.';
    try {
      const extension = chosen.contentType === 'video/mp4' ? 'mp4' : 'webm';
      if (!(await upload(chosen.url, chosen.fields, recording, `video.${extension}`)))
        throw new Error('refused');
      document.getElementById('video-key').value = chosen.key;
      // The still helps the reviewer; a still that does not upload does not stop the video.
      if (still && stillUpload && still.size <= stillUpload.maxBytes) {
        const sent = await upload(stillUpload.url, stillUpload.fields, still, 'still.jpg').catch(() => false);
        if (sent) document.getElementById('still-key').value = stillUpload.key;
      }
      for (const track of stream?.getTracks() ?? []) track.stop();
      videoForm.submit();
    } catch {
      sendVideo.disabled = false;
      status.textContent = '';
      showProblem('upload-failed');
    }
  });
}
