import { mount } from 'svelte';
import App from './ui/App.svelte';
import { AppState } from './app/app.svelte';
import './ui/global.css';
import { registerServiceWorker } from './sw/register';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target, props: { app: new AppState() } });
registerServiceWorker();
