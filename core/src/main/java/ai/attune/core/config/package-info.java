/**
 * Configuration reading: {@code JsonConfig} gives typed, validated reads of HF {@code config.json}
 * with errors that name the file and field; {@code ConfigYaml} binds the trainers' YAML files with
 * field-named errors ({@code InvalidSettingException}); {@code Mappers} holds the shared Jackson
 * mappers.
 */
package ai.attune.core.config;
