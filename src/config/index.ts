export { type Config, type ConfigSources, ConfigError, loadConfig, configSources, CONFIG_KEYS } from './config.ts';
