"""Error messages in Arabic and English: the API's own, and those for domain refusal codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The API's own errors. ``{field}`` and other names are filled in when given.
API: dict[str, dict[str, str]] = {
    "unauthenticated": {
        "en": "sign in, or send an API token (Authorization: Bearer …)",
        "ar": "سجّل الدخول، أو أرسل رمز وصول (Authorization: Bearer …)",
    },
    "forbidden": {
        "en": "your role may not do this",
        "ar": "دورك لا يسمح بهذا الإجراء",
    },
    "insufficient_scope": {
        "en": "this API token may only read; a token with the 'write' scope is needed",
        "ar": "هذا الرمز للقراءة فقط؛ يلزم رمز بصلاحية الكتابة 'write'",
    },
    "csrf_failed": {
        "en": "the X-CSRF-Token header is missing or does not match this session",
        "ar": "ترويسة X-CSRF-Token مفقودة أو لا تطابق هذه الجلسة",
    },
    "invalid_credentials": {
        "en": "the username or password is wrong, or the account is disabled",
        "ar": "اسم المستخدم أو كلمة المرور غير صحيحة، أو الحساب معطّل",
    },
    "throttled": {
        "en": "too many failed sign-ins: wait {seconds} seconds and try again",
        "ar": "محاولات دخول فاشلة كثيرة: انتظر {seconds} ثانية ثم أعد المحاولة",
    },
    "body_too_large": {
        "en": "the request body is larger than {limit} bytes",
        "ar": "حجم الطلب أكبر من {limit} بايت",
    },
    "unsupported_media_type": {
        "en": "send the body as JSON (Content-Type: application/json)",
        "ar": "أرسل المحتوى بصيغة JSON (Content-Type: application/json)",
    },
    "malformed_json": {
        "en": "the body is not valid JSON",
        "ar": "المحتوى ليس JSON صالحاً",
    },
    "route_not_found": {
        "en": "there is no such address in this API",
        "ar": "لا يوجد هذا العنوان في الواجهة البرمجية",
    },
    "method_not_allowed": {
        "en": "this address does not accept this method",
        "ar": "هذا العنوان لا يقبل هذه الطريقة",
    },
    "naive_time": {
        "en": "give the time with a UTC offset, e.g. 2016-12-13T19:00+02:00",
        "ar": "اكتب الوقت مع فارق التوقيت عن UTC، مثل 2016-12-13T19:00+02:00",
    },
    "time_out_of_range": {
        "en": "this time is outside the calendar once converted to UTC (years 1 to 9999)",
        "ar": "هذا الوقت خارج التقويم بعد تحويله إلى UTC (السنوات من 1 إلى 9999)",
    },
    "bad_request": {
        "en": "the request could not be understood",
        "ar": "تعذّر فهم الطلب",
    },
    "internal_error": {
        "en": "an unexpected error occurred; nothing was recorded",
        "ar": "حدث خطأ غير متوقع؛ لم يُسجَّل شيء",
    },
}

# Validation errors, by pydantic error type. English comes from pydantic itself.
VALIDATION_AR: dict[str, str] = {
    "client_id": "يُولَّد المعرّف تلقائياً: اترك الحقل فارغاً (يجوز لتطبيق يعمل دون اتصال أن يعطي معرّفاً فريداً ولّده بنفسه)",
    "missing": "هذا الحقل مطلوب",
    "extra_forbidden": "هذا الحقل غير معروف",
    "string_type": "يجب أن تكون القيمة نصاً",
    "int_type": "يجب أن تكون القيمة عدداً صحيحاً",
    "int_parsing": "يجب أن تكون القيمة عدداً صحيحاً",
    "int_from_float": "يجب أن تكون القيمة عدداً صحيحاً",
    "float_type": "يجب أن تكون القيمة عدداً",
    "float_parsing": "يجب أن تكون القيمة عدداً",
    "bool_type": "يجب أن تكون القيمة صحيحة أو خاطئة (true/false)",
    "bool_parsing": "يجب أن تكون القيمة صحيحة أو خاطئة (true/false)",
    "dict_type": "يجب أن تكون القيمة كائناً",
    "model_type": "يجب أن تكون القيمة كائناً",
    "model_attributes_type": "يجب أن تكون القيمة كائناً",
    "list_type": "يجب أن تكون القيمة قائمة",
    "tuple_type": "يجب أن تكون القيمة قائمة",
    "enum": "القيمة ليست من الخيارات المسموح بها",
    "literal_error": "القيمة ليست من الخيارات المسموح بها",
    "string_pattern_mismatch": "صيغة القيمة غير صحيحة",
    "string_too_short": "القيمة أقصر من المسموح",
    "string_too_long": "القيمة أطول من المسموح",
    "too_short": "عدد العناصر أقل من المسموح",
    "too_long": "عدد العناصر أكثر من المسموح",
    "greater_than": "القيمة أصغر من المسموح",
    "greater_than_equal": "القيمة أصغر من المسموح",
    "less_than": "القيمة أكبر من المسموح",
    "less_than_equal": "القيمة أكبر من المسموح",
    "datetime_type": "يجب أن تكون القيمة وقتاً بصيغة ISO 8601 مع فارق التوقيت",
    "datetime_parsing": "الوقت غير صالح (مثال صحيح: 2016-12-13T19:00+02:00)",
    "datetime_from_date_parsing": "الوقت غير صالح أو التاريخ مستحيل (مثال صحيح: 2016-12-13T19:00+02:00)",
    "date_parsing": "التاريخ غير صالح",
    "json_invalid": "المحتوى ليس JSON صالحاً",
    "reference_invalid": "ليس معرّف سجل (حروف لاتينية صغيرة وأرقام وشرطات، مثل ramouseh-road)",
    "kind_invalid": "ليس نوع سجل (مثل convoy أو place)",
    "time_out_of_range": "هذا الوقت خارج التقويم بعد تحويله إلى UTC (السنوات من 1 إلى 9999)",
    "text_hidden_character": "يحتوي النص على محرف خفي أو محرف يغيّر اتجاه الكتابة (U+{code})؛ احذفه",
    "text_control_character": "يحتوي النص على محرف تحكّم (U+{code})؛ احذفه",
    "text_surrogate": "يحتوي النص على نصف محرف (U+{code})؛ النص تالف",
    "text_empty": "لا يجوز أن يكون النص فارغاً",
    "text_too_long": "النص أطول من {limit} محرف",
    "value_error": "القيمة غير صالحة",
    "assertion_error": "القيمة غير صالحة",
}

# Domain refusal codes (``DomainError.code``). Unknown codes get a general sentence.
DOMAIN_AR: dict[str, str] = {
    "not_found": "لا يوجد سجل بهذا المعرّف",
    "already_exists": "يوجد سجل بهذا المعرّف مسبقاً",
    "illegal_transition": "لا يمكن الانتقال إلى هذه الحالة من الحالة الحالية",
    "not_permitted": "هذا الإجراء غير مسموح لك",
    "conflict": "تغيّر السجل في أثناء ذلك؛ أعد المحاولة",
    "bad_cursor": "هذا المؤشّر لم يصدر لك من هذا النظام، أو عُدِّل",
    "unchanged": "لا تغيير: القيمة هي نفسها",
    "duplicate": "عنصر مكرر",
    "duplicate_party": "طرف مكرر",
    "duplicate_evidence": "دليل مكرر",
    "empty": "لا يجوز أن تكون القيمة فارغة",
    "empty_version": "النسخة فارغة",
    "empty_proposal": "المقترح فارغ",
    "already_closed": "السجل مغلق مسبقاً",
    "already_disabled": "الحساب معطّل مسبقاً",
    "not_disabled": "الحساب غير معطّل",
    "already_erased": "سجل هذا الشخص ممحو مسبقاً",
    "already_retired": "السجل متقاعد مسبقاً",
    "erased": "هذا السجل الشخصي ممحو",
    "self_disable": "لا يستطيع المسؤول تعطيل حسابه",
    "self_reference": "لا يجوز أن يشير السجل إلى نفسه",
    "unknown_account": "لا يوجد حساب بهذا الاسم",
    "unknown_token": "لا يوجد رمز وصول فعّال بهذا المعرّف",
    "weak_password": "كلمة المرور قصيرة جداً",
    "unsealed": "يجب أن تُحفظ البيانات الشخصية في الخزنة",
    "invalid_geometry": "الشكل الجغرافي غير صالح",
    "same_ends": "نقطة البداية والنهاية متطابقتان",
    "bad_interval": "الفترة الزمنية غير صالحة",
    "ends_before_start": "النهاية قبل البداية",
    "terminated": "السجل منتهٍ",
    "status_missing": "الحالة غير محددة",
    "required": "هذا الحقل مطلوب",
    "reason_required": "يجب ذكر السبب",
    "no_parties": "يجب ذكر طرف واحد على الأقل",
    "beyond_tree": "السجل لا يبلغ هذا الحجم بعد",
    "size_order": "الحجم الأول أكبر من الثاني",
    "bad_key": "المفتاح العام غير صالح",
    "bad_cosignature": "التوقيع المشترك غير صالح أو لا يطابق نقطة التحقق",
    "unknown_witness": "لا يوجد شاهد مسجّل بهذا الاسم",
    "unknown_organisation": "لا توجد منظمة مسجّلة بهذا المعرّف",
    "bad_reference": "اكتب السجل بصيغة النوع:المعرّف، مثل incident:shelling-1",
    "no_signing_key": "لا يوجد مفتاح لتوقيع نقاط التحقق في هذا التثبيت",
    "time_too_early": "هذا الوقت أقدم من أبكر وقت تقبله هذه العملية",
    "time_too_late": "هذا الوقت بعد الآن بأكثر مما تقبله هذه العملية",
}
DOMAIN_AR_DEFAULT = "رُفض الطلب"


def api_message(code: str, lang: str, **params: object) -> str:
    texts = API.get(code, API["bad_request"])
    return texts.get(lang, texts["en"]).format(**params)


def domain_message(code: str, english: str, lang: str) -> str:
    if lang != "ar":
        return english
    return DOMAIN_AR.get(code, f"{DOMAIN_AR_DEFAULT} ({english})")


def validation_message(
    error_type: str, english: str, lang: str, context: Mapping[str, Any] | None = None
) -> str:
    if lang != "ar":
        return english
    arabic = VALIDATION_AR.get(error_type, VALIDATION_AR["value_error"]).format(**(context or {}))
    # Custom checks explain themselves in English; keep that detail after the Arabic.
    return f"{arabic} ({english})" if error_type in ("value_error", "assertion_error") else arabic
