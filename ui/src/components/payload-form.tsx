/**
 * An action's payload as a form generated from its JSON Schema: one block per
 * entry (manager, controller...), one input per property of the right kind.
 * An empty input leaves the property out. Shapes a form cannot express well
 * (arrays of objects) are edited as JSON in place.
 */
import { useState } from "preact/hooks";
import { newEntry, type JsonSchema } from "../payload/action-schemas.js";

type Value = unknown;

function typeOf(schema: JsonSchema): string {
  return Array.isArray(schema.type) ? (schema.type.find((t) => t !== "null") ?? "string") : (schema.type ?? "string");
}

let nextId = 0;
const uid = (name: string) => `f${++nextId}-${name.replace(/[^A-Za-z0-9]/g, "")}`;

function JsonField(props: { label: string; value: Value; onChange: (v: Value) => void }) {
  const [text, setText] = useState(() => (props.value === undefined ? "" : JSON.stringify(props.value)));
  const [bad, setBad] = useState(false);
  const [id] = useState(() => uid(props.label));
  return (
    <div class="field">
      <label for={id}>
        {props.label} <span class="hint">(JSON)</span>
      </label>
      <textarea
        id={id}
        class="mono"
        rows={2}
        aria-invalid={bad}
        value={text}
        onInput={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          if (t.trim() === "") {
            setBad(false);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(t));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <span class="field-error">Not valid JSON yet.</span> : null}
    </div>
  );
}

function Field(props: { name: string; schema: JsonSchema; required: boolean; value: Value; onChange: (v: Value) => void }) {
  const { name, schema, value, onChange } = props;
  const [id] = useState(() => uid(name));
  const type = typeOf(schema);
  const label = (
    <label for={id}>
      {name}
      {props.required ? <span class="required" aria-hidden="true"> *</span> : null}
      {schema.description ? <span class="hint"> {schema.description}</span> : null}
    </label>
  );
  if (type === "object" && schema.properties) {
    const obj = (value && typeof value === "object" ? value : {}) as Record<string, Value>;
    return (
      <fieldset class="nested">
        <legend>{name}</legend>
        {Object.entries(schema.properties).map(([key, sub]) => (
          <Field
            key={key}
            name={key}
            schema={sub}
            required={schema.required?.includes(key) ?? false}
            value={obj[key]}
            onChange={(v) => {
              const next = { ...obj };
              if (v === undefined) delete next[key];
              else next[key] = v;
              onChange(next);
            }}
          />
        ))}
      </fieldset>
    );
  }
  if (schema.enum) {
    return (
      <div class="field">
        {label}
        <select id={id} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}>
          <option value="">{props.required ? "Choose…" : "(leave unchanged)"}</option>
          {schema.enum.map((v) => (
            <option key={String(v)} value={String(v)}>
              {String(v)}
            </option>
          ))}
        </select>
      </div>
    );
  }
  if (type === "number" || type === "integer") {
    return (
      <div class="field">
        {label}
        <input
          id={id}
          type="number"
          step={type === "integer" ? 1 : "any"}
          min={schema.minimum}
          max={schema.maximum}
          value={typeof value === "number" ? String(value) : ""}
          onInput={(e) => {
            const t = e.currentTarget.value;
            onChange(t === "" || Number.isNaN(Number(t)) ? undefined : Number(t));
          }}
        />
      </div>
    );
  }
  if (type === "boolean") {
    return (
      <div class="field">
        {label}
        <select id={id} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value === "true")}>
          <option value="">(leave unchanged)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </div>
    );
  }
  if (type === "array" && schema.items && typeOf(schema.items) === "string") {
    return (
      <div class="field">
        {label}
        <input
          id={id}
          type="text"
          placeholder="comma-separated"
          value={Array.isArray(value) ? value.join(", ") : ""}
          onInput={(e) => {
            const parts = e.currentTarget.value.split(",").map((s) => s.trim()).filter((s) => s !== "");
            onChange(parts.length ? parts : undefined);
          }}
        />
      </div>
    );
  }
  if (type === "string") {
    return (
      <div class="field">
        {label}
        <input id={id} type="text" required={props.required} value={typeof value === "string" ? value : ""} onInput={(e) => onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value)} />
      </div>
    );
  }
  return <JsonField label={name} value={value} onChange={onChange} />;
}

export function PayloadForm(props: { schema: JsonSchema; value: Record<string, unknown>[]; onChange: (v: Record<string, unknown>[]) => void }) {
  const { schema, value, onChange } = props;
  const item = schema.items ?? {};
  const max = schema.maxItems ?? 64;
  return (
    <div class="payload-form">
      {schema.description ? <p class="hint">{schema.description}</p> : null}
      {value.map((entry, i) => (
        <fieldset key={i} class="entry">
          <legend>Entry {i + 1}</legend>
          {Object.entries(item.properties ?? {}).map(([key, sub]) => (
            <Field
              key={key}
              name={key}
              schema={sub}
              required={item.required?.includes(key) ?? false}
              value={entry[key]}
              onChange={(v) => {
                const next = value.slice();
                const e = { ...entry };
                if (v === undefined) delete e[key];
                else e[key] = v;
                next[i] = e;
                onChange(next);
              }}
            />
          ))}
          {value.length > 1 ? (
            <button type="button" class="link" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove entry {i + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      {value.length < max ? (
        <button type="button" onClick={() => onChange([...value, newEntry(schema)])}>
          Add an entry
        </button>
      ) : null}
    </div>
  );
}
